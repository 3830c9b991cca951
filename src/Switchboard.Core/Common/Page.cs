namespace Switchboard.Core.Common;

/// <summary>One page of a keyset-paged list; pass <see cref="NextCursor"/> back to get the next page.</summary>
/// <param name="Items">The records of this page.</param>
/// <param name="NextCursor">Opaque cursor for the next page, or null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor) : IPage
{
    System.Collections.IEnumerable IPage.Items => Items;
}

/// <summary>A page of any item type, for code that handles pages alike (field shaping, auditing).</summary>
public interface IPage
{
    System.Collections.IEnumerable Items { get; }
}
