using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Switchboard.Data.Postgres.Migrations
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Vendor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Object = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Mapping = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OurIdField = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    ModifiedField = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    PageSize = table.Column<int>(type: "integer", nullable: false),
                    PollMilliseconds = table.Column<int>(type: "integer", nullable: false),
                    OverlapSeconds = table.Column<int>(type: "integer", nullable: false),
                    PushNew = table.Column<bool>(type: "boolean", nullable: false),
                    PushDeletes = table.Column<bool>(type: "boolean", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    DestinationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CursorAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Applied = table.Column<long>(type: "bigint", nullable: false),
                    Unchanged = table.Column<long>(type: "bigint", nullable: false),
                    Duplicates = table.Column<long>(type: "bigint", nullable: false),
                    Echoes = table.Column<long>(type: "bigint", nullable: false),
                    Conflicts = table.Column<long>(type: "bigint", nullable: false),
                    Deleted = table.Column<long>(type: "bigint", nullable: false),
                    Quarantined = table.Column<long>(type: "bigint", nullable: false),
                    FailedPasses = table.Column<long>(type: "bigint", nullable: false),
                    LastPassAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastSuccessAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConnectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Field = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Shadow = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    Local = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    Incoming = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    Rule = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Winner = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConnectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Field = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConnectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    SourceModifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Shadow = table.Column<string>(type: "character varying(64000)", maxLength: 64000, nullable: false)
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
