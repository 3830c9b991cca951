using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DestinationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryAlerts", x => x.Id);
                });

            migrationBuilder.DropPrimaryKey(
                name: "PK_WebhookSubscriptions",
                table: "WebhookSubscriptions");

            migrationBuilder.DropIndex(
                name: "IX_WebhookSubscriptions_Name",
                table: "WebhookSubscriptions");

            migrationBuilder.RenameTable(
                name: "WebhookSubscriptions",
                newName: "Destinations");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Destinations",
                table: "Destinations",
                column: "Id");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Destinations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "Webhook");

            migrationBuilder.AddColumn<string>(
                name: "BackupUrl",
                table: "Destinations",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuthScheme",
                table: "Destinations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<string>(
                name: "Credential",
                table: "Destinations",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Routes",
                table: "Destinations",
                type: "character varying(400000)",
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

            migrationBuilder.DropPrimaryKey(
                name: "PK_Destinations",
                table: "Destinations");

            migrationBuilder.RenameTable(
                name: "Destinations",
                newName: "WebhookSubscriptions");

            migrationBuilder.AddPrimaryKey(
                name: "PK_WebhookSubscriptions",
                table: "WebhookSubscriptions",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookSubscriptions_Name",
                table: "WebhookSubscriptions",
                column: "Name",
                unique: true);
        }
    }
}
