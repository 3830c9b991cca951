using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Switchboard.Core.Persistence;

/// <summary>
/// A property of the EF model as a column of a hand-written statement (<see cref="BulkInserter{T}"/>,
/// <see cref="UntrackedRows{T}"/>): its quoted name, the provider's type mapping, conversion and comparer, so that rows
/// written here read back through EF exactly like rows EF wrote (enums as text, tags as JSON or arrays, GUIDs).
/// </summary>
internal sealed record ModelColumn(string Name, IProperty Property, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, ValueComparer Comparer)
{
    /// <summary>The columns of <paramref name="entityType"/>'s properties (all, or those <paramref name="include"/> keeps), in the model's order.</summary>
    public static ModelColumn[] Of(IEntityType entityType, StoreObjectIdentifier table, ISqlGenerationHelper sql, Func<IProperty, bool>? include = null) =>
        [.. entityType.GetProperties().Where(include ?? (_ => true))
            .Select(p => new ModelColumn(sql.DelimitIdentifier(p.GetColumnName(table)!), p, p.GetRelationalTypeMapping(), p.GetGetter(), p.GetValueComparer()))];

    /// <summary>A row's value of this column, as the provider takes it.</summary>
    public object ValueOf(object row) => ToProvider(Getter.GetClrValue(row));

    /// <summary>A model value as the provider takes it (converted; null as <see cref="DBNull"/>).</summary>
    public object ToProvider(object? value) =>
        value is null ? DBNull.Value : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) ?? DBNull.Value : value;

    /// <summary>A parameter of this column's type for <paramref name="command"/>.</summary>
    public DbParameter Parameter(DbCommand command, string name) => Mapping.CreateParameter(command, name, null, Property.IsNullable);
}
