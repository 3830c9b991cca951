using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CallerIdentification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReversedDigits",
                table: "ContactPoints",
                type: "TEXT",
                maxLength: 15,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CallerChoices",
                columns: table => new
                {
                    E164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChosenBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ChosenAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallerChoices", x => x.E164);
                    table.ForeignKey(
                        name: "FK_CallerChoices_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ContactPoints_ReversedDigits",
                table: "ContactPoints",
                column: "ReversedDigits");

            migrationBuilder.CreateIndex(
                name: "IX_CallerChoices_CustomerId",
                table: "CallerChoices",
                column: "CustomerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallerChoices");

            migrationBuilder.DropIndex(
                name: "IX_ContactPoints_ReversedDigits",
                table: "ContactPoints");

            migrationBuilder.DropColumn(
                name: "ReversedDigits",
                table: "ContactPoints");
        }
    }
}
