using System.ComponentModel.DataAnnotations;

namespace Switchboard.Hosting;

/// <summary>Host settings under <c>Api</c>.</summary>
public sealed class ApiOptions
{
    /// <summary>The largest request body accepted, in bytes; larger bodies get 413 before they are read. Default 1 MB.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
