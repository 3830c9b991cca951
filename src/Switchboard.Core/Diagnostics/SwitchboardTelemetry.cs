using System.Diagnostics.Metrics;

namespace Switchboard.Core.Diagnostics;

/// <summary>The Switchboard meter; features add their instruments here. Tags never carry personal data.</summary>
public static class SwitchboardTelemetry
{
    /// <summary>The meter name to export ("Switchboard").</summary>
    public const string MeterName = "Switchboard";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Customer look-ups by phone number, tagged <c>outcome</c> = found | none | unparseable.</summary>
    public static readonly Counter<long> PhoneLookups =
        Meter.CreateCounter<long>("switchboard.customers.phone_lookups", description: "Customer look-ups by phone number");

    /// <summary>Telephony events received, tagged <c>source_kind</c> and <c>outcome</c> = applied | duplicate | ignored.</summary>
    public static readonly Counter<long> TelephonyEvents =
        Meter.CreateCounter<long>("switchboard.telephony.events", description: "Telephony events received");

    /// <summary>Rows written by seeding and imports, tagged <c>source</c>.</summary>
    public static readonly Counter<long> RowsWritten =
        Meter.CreateCounter<long>("switchboard.store.rows_written", description: "Rows written in bulk");

    /// <summary>Routing offers given to the telephony side after the decision, tagged <c>source_kind</c> and <c>outcome</c> = delivered | failed | api_only.</summary>
    public static readonly Counter<long> OffersDelivered =
        Meter.CreateCounter<long>("switchboard.routing.offers_delivered", description: "Routing offers given to the telephony side");

    /// <summary>Per record a sync pulled and committed: milliseconds from its modification in the CRM to its commit here, tagged <c>connection</c>.</summary>
    public static readonly Histogram<double> SyncLag =
        Meter.CreateHistogram<double>("switchboard.sync.lag", unit: "ms", description: "From a record's change in the CRM to its commit here");
}
