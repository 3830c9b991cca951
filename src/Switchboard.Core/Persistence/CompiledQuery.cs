using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Switchboard.Core.Persistence;

/// <summary>
/// An EF compiled query, compiled once per model. EF binds a compiled query to the first model it runs against, and
/// the SQLite and PostgreSQL contexts have different models; a process serves one store, but the tests run both.
/// Compile for the hot path only: a pop's reads, where EF's per-query translation-cache lookup costs more than the
/// index seeks themselves (docs/benchmarks.md).
/// </summary>
internal sealed class CompiledQuery<TDelegate>(Func<TDelegate> compile) where TDelegate : class
{
    private readonly ConditionalWeakTable<IModel, TDelegate> _byModel = [];

    public TDelegate For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
