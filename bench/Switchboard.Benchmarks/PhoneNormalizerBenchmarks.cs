using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Switchboard.Core.Identification;

namespace Switchboard.Benchmarks;

/// <summary>The first step of every look-up: any written form to E.164.</summary>
[MemoryDiagnoser]
public class PhoneNormalizerBenchmarks
{
    private readonly PhoneNormalizer _normalizer = new(Options.Create(new TelephonyOptions { DefaultRegion = "CN" }));

    [Params("13800138000", "+86 138-0013-8000", "021-5555 0100")]
    public string Raw { get; set; } = "";

    [Benchmark]
    public string? Normalize() => _normalizer.Normalize(Raw).E164;
}
