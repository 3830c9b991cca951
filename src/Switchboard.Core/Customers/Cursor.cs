using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Core.Customers;

/// <summary>Keyset-paging cursors: the last id of a page, as 32 hex digits. Offsets would scan on large tables.</summary>
internal static class Cursor
{
    public static string Encode(Guid lastId) => lastId.ToString("N");

    public static bool TryDecode(string? cursor, [NotNullWhen(true)] out Guid? lastId)
    {
        lastId = null;
        if (cursor is null)
        {
            return false;
        }
        if (cursor.Length == 32 && Guid.TryParseExact(cursor, "N", out var id))
        {
            lastId = id;
            return true;
        }
        return false;
    }
}
