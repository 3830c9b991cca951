using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CallJournal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CallJournal",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Source = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SourceCallId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    EventKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Direction = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    From = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    To = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Queue = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    AgentId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Cause = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    TransferTo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallJournal", x => x.Id);
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallJournal");
        }
    }
}
