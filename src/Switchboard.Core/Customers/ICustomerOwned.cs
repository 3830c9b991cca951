namespace Switchboard.Core.Customers;

/// <summary>A record that belongs to one customer and appears under <c>/customers/{id}/...</c>.</summary>
public interface ICustomerOwned
{
    /// <summary>The owning customer.</summary>
    Guid CustomerId { get; set; }
}
