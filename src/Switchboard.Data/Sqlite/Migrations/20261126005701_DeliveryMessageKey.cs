using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryMessageKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_OutboxDeliveries_MessageId",
                table: "OutboxDeliveries",
                column: "MessageId");

            migrationBuilder.AddForeignKey(
                name: "FK_OutboxDeliveries_OutboxMessages_MessageId",
                table: "OutboxDeliveries",
                column: "MessageId",
                principalTable: "OutboxMessages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OutboxDeliveries_OutboxMessages_MessageId",
                table: "OutboxDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_OutboxDeliveries_MessageId",
                table: "OutboxDeliveries");
        }
    }
}
