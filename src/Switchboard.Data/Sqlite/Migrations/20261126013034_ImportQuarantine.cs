using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ImportQuarantine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ImportQuarantine",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Mapping = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    File = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Line = table.Column<long>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Raw = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportQuarantine", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ImportQuarantine_RunId_Line",
                table: "ImportQuarantine",
                columns: new[] { "RunId", "Line" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImportQuarantine");
        }
    }
}
