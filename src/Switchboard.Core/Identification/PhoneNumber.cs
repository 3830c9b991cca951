using Switchboard.Core.Customers;

namespace Switchboard.Core.Identification;

/// <summary>A phone number as written and as understood.</summary>
/// <param name="Raw">The text exactly as given.</param>
/// <param name="E164">The E.164 form, or null when the text could not be understood as a number.</param>
/// <param name="Status">How far it was understood.</param>
public sealed record PhoneNumber(string Raw, string? E164, ContactPointStatus Status);
