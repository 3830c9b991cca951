using System.Buffers.Binary;
using Microsoft.Extensions.Options;
using Switchboard.Core.Common;
using Whisper.net;

namespace Switchboard.Core.Speech;

/// <summary>Settings under <c>Speech</c>.</summary>
public sealed class SpeechOptions
{
    /// <summary>A whisper.cpp (ggml) model file for local speech-to-text (e.g. ggml-base.bin); unset: the telephony platform transcribes.</summary>
    public string? WhisperModel { get; set; }

    /// <summary>Threads whisper may use (default 2).</summary>
    public int WhisperThreads { get; set; } = 2;
}

/// <summary>One stretch of recognised speech, in milliseconds from the start of the audio.</summary>
public sealed record RecognizedSpeech(int StartMs, int EndMs, string Text, string Language);

/// <summary>
/// Speech-to-text, pluggable: the built-in pass-through (the telephony platform transcribes and posts segments) or a
/// local engine (Whisper.net) when a model file is configured.
/// </summary>
public interface ISpeechToText
{
    /// <summary>Whether audio can be transcribed here (false: send transcript segments instead).</summary>
    bool Available { get; }

    /// <summary>Transcribes 16 kHz mono 16-bit PCM WAV audio (<see cref="WavAudio.Check"/> first).</summary>
    Task<IReadOnlyList<RecognizedSpeech>> TranscribeAsync(Stream wav, string? language, CancellationToken cancellationToken);
}

/// <summary>The platform transcribes: audio is not taken here.</summary>
public sealed class PassThroughSpeechToText : ISpeechToText
{
    public bool Available => false;

    public Task<IReadOnlyList<RecognizedSpeech>> TranscribeAsync(Stream wav, string? language, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The pass-through engine takes no audio: the telephony platform transcribes.");
}

/// <summary>Local speech-to-text with whisper.cpp through Whisper.net; the model is loaded once, calls are transcribed one at a time.</summary>
public sealed class WhisperSpeechToText(IOptions<SpeechOptions> options) : ISpeechToText, IDisposable
{
    private readonly Lazy<WhisperFactory> _factory = new(() => WhisperFactory.FromPath(options.Value.WhisperModel!));
    private readonly SemaphoreSlim _gate = new(1, 1);

    public bool Available => true;

    public async Task<IReadOnlyList<RecognizedSpeech>> TranscribeAsync(Stream wav, string? language, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var processor = _factory.Value.CreateBuilder().WithLanguage(string.IsNullOrWhiteSpace(language) ? "auto" : language.Split('-')[0])
                .WithThreads(Math.Max(1, options.Value.WhisperThreads)).Build();
            var recognized = new List<RecognizedSpeech>();
            await foreach (var segment in processor.ProcessAsync(wav, cancellationToken))
            {
                if (!string.IsNullOrWhiteSpace(segment.Text))
                {
                    recognized.Add(new RecognizedSpeech((int)segment.Start.TotalMilliseconds, (int)segment.End.TotalMilliseconds, segment.Text.Trim(), segment.Language ?? language ?? ""));
                }
            }
            return recognized;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (_factory.IsValueCreated)
        {
            _factory.Value.Dispose();
        }
        _gate.Dispose();
    }
}

/// <summary>The audio Whisper takes: a RIFF/WAVE file of 16 kHz mono 16-bit PCM; anything else is refused with the reason.</summary>
public static class WavAudio
{
    /// <summary>Checks the header; returns the audio's length in milliseconds, or what is wrong with it.</summary>
    public static Result<int> Check(ReadOnlySpan<byte> file)
    {
        if (file.Length < 44 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            return Error.Validation("audio", "must be a WAV file (RIFF/WAVE).");
        }
        // Chunks after the header: "fmt " must come before "data"; others (LIST, fact) are skipped.
        var at = 12;
        (int Format, int Channels, int Rate, int Bits)? format = null;
        while (at + 8 <= file.Length)
        {
            var id = file.Slice(at, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(at + 4, 4));
            if (size < 0 || at + 8L + size > file.Length && !id.SequenceEqual("data"u8))
            {
                return Error.Validation("audio", "has a chunk longer than the file.");
            }
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                var fmt = file.Slice(at + 8, 16);
                format = (BinaryPrimitives.ReadInt16LittleEndian(fmt), BinaryPrimitives.ReadInt16LittleEndian(fmt[2..]), BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]),
                    BinaryPrimitives.ReadInt16LittleEndian(fmt[14..]));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not { Format: 1, Channels: 1, Rate: 16_000, Bits: 16 })
                {
                    return Error.Validation("audio", format is null ? "has no fmt chunk before its data." : "must be 16 kHz mono 16-bit PCM (as whisper takes it).");
                }
                var bytes = Math.Min(size, file.Length - at - 8);
                return (int)(bytes / 32L); // 32 bytes a millisecond
            }
            at += 8 + size + (size & 1);
        }
        return Error.Validation("audio", "has no data chunk.");
    }
}
