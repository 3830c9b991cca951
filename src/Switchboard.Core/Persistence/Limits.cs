namespace Switchboard.Core.Persistence;

/// <summary>Column lengths, shared by the model and the validators so that the two never disagree.</summary>
public static class Limits
{
    public const int Name = 200;
    public const int Code = 64;
    public const int Language = 16;
    public const int ContactRaw = 254;
    public const int E164 = 16;
    public const int Subject = 300;
    public const int Body = 8000;
    public const int ExternalKey = 128;

    /// <summary>A telephony call id (Zammad allows 250 characters).</summary>
    public const int CallId = 250;
    public const int Tag = 48;
    public const int MaxTags = 32;
    public const int MaxContactPoints = 32;
    public const int MaxExternalIds = 16;
}
