using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CallsAndTelephony : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CallJournal",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SourceCallId = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    EventKey = table.Column<string>(type: "TEXT", maxLength: 330, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Direction = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    From = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    To = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Queue = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    TransferTo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallJournal", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TelephonySources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SigningSecret = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DefaultQueue = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Extensions = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelephonySources", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CallJournal_ReceivedAt",
                table: "CallJournal",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_CallJournal_Source_EventKey",
                table: "CallJournal",
                columns: new[] { "Source", "EventKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CallJournal_Source_SourceCallId",
                table: "CallJournal",
                columns: new[] { "Source", "SourceCallId" });

            migrationBuilder.CreateIndex(
                name: "IX_TelephonySources_Name",
                table: "TelephonySources",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TelephonySources_TokenHash",
                table: "TelephonySources",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallJournal");

            migrationBuilder.DropTable(
                name: "TelephonySources");
        }
    }
}
