using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpeechAnalytics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "Sentiment",
                table: "TranscriptSegments",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CallTags",
                columns: table => new
                {
                    CallId = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    Tag = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TaggedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallTags", x => new { x.CallId, x.Tag });
                });

            migrationBuilder.CreateTable(
                name: "RuleFirings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CallId = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RuleVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    AtMs = table.Column<int>(type: "INTEGER", nullable: false),
                    FiredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Evidence = table.Column<string>(type: "TEXT", nullable: false),
                    Actions = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Agent = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Shown = table.Column<bool>(type: "INTEGER", nullable: false),
                    Useful = table.Column<bool>(type: "INTEGER", nullable: true),
                    FeedbackAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RuleFirings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SpeechRuleSets",
                columns: table => new
                {
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Document = table.Column<string>(type: "TEXT", nullable: false),
                    SavedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SavedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpeechRuleSets", x => x.Version);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CallTags_Tag",
                table: "CallTags",
                column: "Tag");

            migrationBuilder.CreateIndex(
                name: "IX_RuleFirings_CallId",
                table: "RuleFirings",
                column: "CallId");

            migrationBuilder.CreateIndex(
                name: "IX_RuleFirings_RuleId_FiredAt",
                table: "RuleFirings",
                columns: new[] { "RuleId", "FiredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallTags");

            migrationBuilder.DropTable(
                name: "RuleFirings");

            migrationBuilder.DropTable(
                name: "SpeechRuleSets");

            migrationBuilder.DropColumn(
                name: "Sentiment",
                table: "TranscriptSegments");
        }
    }
}
