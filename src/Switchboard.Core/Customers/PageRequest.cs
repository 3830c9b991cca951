using Switchboard.Core.Common;

namespace Switchboard.Core.Customers;

/// <summary>Where a page starts and how long it is.</summary>
/// <param name="Cursor">The <see cref="Page{T}.NextCursor"/> of the previous page, or null for the first page.</param>
/// <param name="Limit">Page length, 1–200; default 50.</param>
public sealed record PageRequest(string? Cursor = null, int? Limit = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    internal Result<(Guid? After, int Limit)> Resolve()
    {
        var errors = new ValidationErrors();
        var limit = Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}.");
        }
        Guid? after = null;
        if (Cursor is not null)
        {
            if (Customers.Cursor.TryDecode(Cursor, out var decoded))
            {
                after = decoded;
            }
            else
            {
                errors.Add("cursor", "is not a cursor this server issued.");
            }
        }
        return errors.Any ? errors.ToError() : (after, limit);
    }
}
