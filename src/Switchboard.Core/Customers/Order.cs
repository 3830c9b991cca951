namespace Switchboard.Core.Customers;

/// <summary>An order the customer placed.</summary>
public sealed class Order : CrmRecord, ICustomerOwned
{
    public Guid CustomerId { get; set; }

    /// <summary>The order number, unique across the replica.</summary>
    public string Number { get; set; } = "";

    public decimal Amount { get; set; }

    /// <summary>ISO 4217 currency code, e.g. "CNY".</summary>
    public string Currency { get; set; } = "";

    public OrderStatus Status { get; set; }

    public DateTime PlacedAt { get; set; }
}
