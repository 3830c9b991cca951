using Switchboard.Core.Common;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.Customers.Profiles;

/// <summary>
/// Phone numbers and emails. A phone value must look like a phone number (digits and the usual punctuation,
/// an optional extension); whether libphonenumber can place it decides its <see cref="ContactPointStatus"/>,
/// and one it cannot place is kept raw and flagged, never dropped.
/// </summary>
internal sealed class ContactPointProfile(PhoneNormalizer phones) : IRecordProfile<ContactPoint, ContactPointInput, ContactPointView>
{
    public string Name => "contact_point";

    public CrmEntity EntityType => CrmEntity.ContactPoint;

    public void Validate(ContactPointInput input, ValidationErrors errors) => Validate(input, errors, "");

    public static void Validate(ContactPointInput? input, ValidationErrors errors, string prefix)
    {
        if (input is null)
        {
            errors.Add(prefix.TrimEnd('.'), "must not be null.");
            return;
        }
        Rules.Enum(errors, prefix + "kind", input.Kind);
        errors.MaxLength(prefix + "label", input.Label, Limits.Code);
        errors.Required(prefix + "value", input.Value, Limits.ContactRaw);
        if (string.IsNullOrWhiteSpace(input.Value))
        {
            return;
        }
        if ((input.Kind ?? ContactKind.Mobile) == ContactKind.Email)
        {
            if (!LooksLikeEmail(input.Value))
            {
                errors.Add(prefix + "value", "is not an email address.");
            }
        }
        else if (!PhoneText.LooksLikePhoneNumber(input.Value))
        {
            errors.Add(prefix + "value", "is not a phone number: use digits, spaces, + - ( ) . / and an optional extension.");
        }
    }

    public void Apply(ContactPointInput input, ContactPoint entity, TimeProvider time)
    {
        entity.Kind = input.Kind ?? ContactKind.Mobile;
        entity.IsPrimary = input.IsPrimary ?? false;
        entity.Label = Rules.Trimmed(input.Label);
        entity.Raw = input.Value!.Trim();
        if (entity.Kind == ContactKind.Email)
        {
            entity.Email = entity.Raw.ToLowerInvariant();
            entity.E164 = null;
            entity.ReversedDigits = null;
            entity.Status = ContactPointStatus.Valid;
        }
        else
        {
            var number = phones.Normalize(entity.Raw);
            entity.Email = null;
            entity.E164 = number.E164;
            entity.ReversedDigits = PhoneDigits.Reversed(number.E164, entity.Raw);
            entity.Status = number.Status;
        }
    }

    public Task<Error?> CheckUniqueAsync(SwitchboardDbContext db, ContactPoint entity, CancellationToken cancellationToken) =>
        Task.FromResult<Error?>(null);

    public ContactPointView ToView(ContactPoint e, IReadOnlyList<ExternalIdView> externalIds) => ToViewOf(e, externalIds);

    public static ContactPointView ToViewOf(ContactPoint e, IReadOnlyList<ExternalIdView> externalIds) =>
        new(e.Id, e.CustomerId, e.Kind, e.Raw, e.E164, e.Email, e.Status, e.IsPrimary, e.Label, externalIds, e.Version, e.CreatedAt, e.UpdatedAt);

    private static bool LooksLikeEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && at == value.LastIndexOf('@') && !value.Any(char.IsWhiteSpace);
    }
}
