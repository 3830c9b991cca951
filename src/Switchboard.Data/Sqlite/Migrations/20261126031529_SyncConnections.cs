using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SyncConnections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncConnections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Vendor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Object = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Mapping = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OurIdField = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    ModifiedField = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    PageSize = table.Column<int>(type: "INTEGER", nullable: false),
                    PollMilliseconds = table.Column<int>(type: "INTEGER", nullable: false),
                    OverlapSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    PushNew = table.Column<bool>(type: "INTEGER", nullable: false),
                    PushDeletes = table.Column<bool>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    DestinationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CursorAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Applied = table.Column<long>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<long>(type: "INTEGER", nullable: false),
                    Duplicates = table.Column<long>(type: "INTEGER", nullable: false),
                    Echoes = table.Column<long>(type: "INTEGER", nullable: false),
                    Conflicts = table.Column<long>(type: "INTEGER", nullable: false),
                    Deleted = table.Column<long>(type: "INTEGER", nullable: false),
                    Quarantined = table.Column<long>(type: "INTEGER", nullable: false),
                    FailedPasses = table.Column<long>(type: "INTEGER", nullable: false),
                    LastPassAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastSuccessAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncConnections_Destinations_DestinationId",
                        column: x => x.DestinationId,
                        principalTable: "Destinations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncConflicts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConnectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Shadow = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    Local = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    Incoming = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Winner = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncConflicts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncConflicts_SyncConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "SyncConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncEchoes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConnectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncEchoes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncEchoes_SyncConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "SyncConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncStates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConnectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SourceModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Shadow = table.Column<string>(type: "TEXT", maxLength: 64000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncStates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncStates_SyncConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "SyncConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ImportQuarantine_RunId_Key",
                table: "ImportQuarantine",
                columns: new[] { "RunId", "Key" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncConflicts_ConnectionId_Id",
                table: "SyncConflicts",
                columns: new[] { "ConnectionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncConflicts_CustomerId",
                table: "SyncConflicts",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncConnections_DestinationId",
                table: "SyncConnections",
                column: "DestinationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncConnections_Name",
                table: "SyncConnections",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncEchoes_ConnectionId_At",
                table: "SyncEchoes",
                columns: new[] { "ConnectionId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncEchoes_ConnectionId_CustomerId",
                table: "SyncEchoes",
                columns: new[] { "ConnectionId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncStates_ConnectionId_CustomerId",
                table: "SyncStates",
                columns: new[] { "ConnectionId", "CustomerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncStates_ConnectionId_Key",
                table: "SyncStates",
                columns: new[] { "ConnectionId", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncConflicts");

            migrationBuilder.DropTable(
                name: "SyncEchoes");

            migrationBuilder.DropTable(
                name: "SyncStates");

            migrationBuilder.DropTable(
                name: "SyncConnections");

            migrationBuilder.DropIndex(
                name: "IX_ImportQuarantine_RunId_Key",
                table: "ImportQuarantine");
        }
    }
}
