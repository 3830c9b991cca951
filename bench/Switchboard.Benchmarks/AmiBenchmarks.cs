using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Switchboard.Core.Telephony;
using Switchboard.Core.Telephony.Asterisk;

namespace Switchboard.Benchmarks;

/// <summary>AMI parsing and call correlation, per event, on one thread (goal: ≥ 500,000 events/s on one core).</summary>
[MemoryDiagnoser]
public class AmiBenchmarks
{
    private const int Calls = 1_000;
    private const int EventsPerCall = 8;
    private byte[] _stream = [];
    private readonly TelephonySource _source = new()
    {
        Name = "asterisk", Kind = TelephonySourceKind.Asterisk, Extensions = new() { ["201"] = "agent-7", ["202"] = "agent-8" },
    };

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder("Asterisk Call Manager/7.0.3\r\n");
        for (var i = 0; i < Calls; i++)
        {
            var id = (1_700_000_000 + i).ToString(CultureInfo.InvariantCulture);
            var agent = i % 2 == 0 ? "201" : "202";
            text.Append(CultureInfo.InvariantCulture, $"Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/trunk-{i:x8}\r\nChannelState: 4\r\nChannelStateDesc: Ring\r\nCallerIDNum: 1380013{i % 10000:D4}\r\nExten: 95588\r\nContext: from-trunk\r\nUniqueid: {id}.1\r\nLinkedid: {id}.1\r\n\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Event: VarSet\r\nChannel: PJSIP/trunk-{i:x8}\r\nVariable: CHANNEL(language)\r\nValue: zh\r\nUniqueid: {id}.1\r\nLinkedid: {id}.1\r\n\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Event: QueueCallerJoin\r\nChannel: PJSIP/trunk-{i:x8}\r\nQueue: vip\r\nPosition: 1\r\nUniqueid: {id}.1\r\nLinkedid: {id}.1\r\n\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Event: AgentCalled\r\nChannel: PJSIP/trunk-{i:x8}\r\nDestChannel: PJSIP/{agent}-{i:x8}\r\nQueue: vip\r\nMemberName: Agent\r\nInterface: PJSIP/{agent}\r\nUniqueid: {id}.1\r\nLinkedid: {id}.1\r\nDestUniqueid: {id}.2\r\n\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Event: AgentConnect\r\nChannel: PJSIP/trunk-{i:x8}\r\nDestChannel: PJSIP/{agent}-{i:x8}\r\nQueue: vip\r\nInterface: PJSIP/{agent}\r\nHoldTime: 3\r\nUniqueid: {id}.1\r\nLinkedid: {id}.1\r\nDestUniqueid: {id}.2\r\n\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Event: BridgeEnter\r\nChannel: PJSIP/{agent}-{i:x8}\r\nBridgeUniqueid: b-{i}\r\nUniqueid: {id}.2\r\nLinkedid: {id}.1\r\n\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Event: Hangup\r\nChannel: PJSIP/{agent}-{i:x8}\r\nCause: 16\r\nUniqueid: {id}.2\r\nLinkedid: {id}.1\r\n\r\n");
            text.Append(CultureInfo.InvariantCulture, $"Event: Hangup\r\nChannel: PJSIP/trunk-{i:x8}\r\nCause: 16\r\nCause-txt: Normal Clearing\r\nUniqueid: {id}.1\r\nLinkedid: {id}.1\r\n\r\n");
        }
        _stream = Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Parse and correlate the stream, read 4 KB at a time as from a socket; reported per AMI event.</summary>
    [Benchmark(OperationsPerInvoke = Calls * EventsPerCall)]
    public int ParseAndCorrelate()
    {
        var parser = new AmiParser();
        var correlator = new AmiCallCorrelator(_source);
        var canonical = 0;
        for (var at = 0; at < _stream.Length; at += 4096)
        {
            foreach (var message in parser.Feed(_stream.AsSpan(at, Math.Min(4096, _stream.Length - at))))
            {
                canonical += correlator.Map(message, DateTime.UnixEpoch).Count;
            }
        }
        return canonical;
    }
}
