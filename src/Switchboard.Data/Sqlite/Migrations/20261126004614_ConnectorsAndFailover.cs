using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConnectorsAndFailover : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DeliveryAlerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DestinationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryAlerts", x => x.Id);
                });

            migrationBuilder.DropIndex(
                name: "IX_WebhookSubscriptions_Name",
                table: "WebhookSubscriptions");

            migrationBuilder.RenameTable(
                name: "WebhookSubscriptions",
                newName: "Destinations");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Destinations",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "Webhook");

            migrationBuilder.AddColumn<string>(
                name: "BackupUrl",
                table: "Destinations",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthScheme",
                table: "Destinations",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<string>(
                name: "Credential",
                table: "Destinations",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Routes",
                table: "Destinations",
                type: "TEXT",
                maxLength: 400000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAlerts_At",
                table: "DeliveryAlerts",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_Destinations_Name",
                table: "Destinations",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeliveryAlerts");

            migrationBuilder.Sql("DELETE FROM \"Destinations\" WHERE \"Kind\" <> 'Webhook'");

            migrationBuilder.DropIndex(
                name: "IX_Destinations_Name",
                table: "Destinations");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Destinations");

            migrationBuilder.DropColumn(
                name: "BackupUrl",
                table: "Destinations");

            migrationBuilder.DropColumn(
                name: "AuthScheme",
                table: "Destinations");

            migrationBuilder.DropColumn(
                name: "Credential",
                table: "Destinations");

            migrationBuilder.DropColumn(
                name: "Routes",
                table: "Destinations");

            migrationBuilder.RenameTable(
                name: "Destinations",
                newName: "WebhookSubscriptions");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookSubscriptions_Name",
                table: "WebhookSubscriptions",
                column: "Name",
                unique: true);
        }
    }
}
