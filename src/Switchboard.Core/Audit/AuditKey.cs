using System.Security.Cryptography;

namespace Switchboard.Core.Audit;

/// <summary>Finds the chain's key: <see cref="AuditOptions.Key"/>, else the key file, made with 32 random bytes (mode 0600) if it does not exist.</summary>
public static class AuditKey
{
    public static byte[] Load(AuditOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Key))
        {
            var key = Convert.FromBase64String(options.Key);
            return key.Length >= 32 ? key : throw new InvalidOperationException("Audit:Key must be at least 32 bytes (base64).");
        }
        var path = options.KeyFile ?? throw new InvalidOperationException("Audit:KeyFile or Audit:Key must be set.");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var made = RandomNumberGenerator.GetBytes(32);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // readable by this user only
            }
            try
            {
                using var file = new FileStream(path, create);
                file.Write(made);
                return made;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }
        var bytes = File.ReadAllBytes(path);
        return bytes.Length >= 32 ? bytes : throw new InvalidOperationException($"The audit key file {path} holds fewer than 32 bytes.");
    }
}
