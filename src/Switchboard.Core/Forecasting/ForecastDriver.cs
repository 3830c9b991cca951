namespace Switchboard.Core.Forecasting;

/// <summary>
/// One day's value of something the CRM knows ahead that drives calls (campaign_sends, renewals_due, shipments,
/// open_tickets): imported through the API, used by the regression candidate of every forecast.
/// </summary>
public sealed class ForecastDriver
{
    public string Name { get; set; } = "";

    public DateOnly Day { get; set; }

    public double Value { get; set; }

    public DateTime ImportedAt { get; set; }
}
