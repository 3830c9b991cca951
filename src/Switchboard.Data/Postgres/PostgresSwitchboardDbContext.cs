using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Persistence;

namespace Switchboard.Data.Postgres;

/// <summary>The model on PostgreSQL (UTC DateTime as timestamptz); owns the PostgreSQL migrations (Postgres/Migrations).</summary>
public sealed class PostgresSwitchboardDbContext(DbContextOptions<PostgresSwitchboardDbContext> options) : SwitchboardDbContext(options);
