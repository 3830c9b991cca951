using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Persistence;

namespace Switchboard.Core.ScreenPop;

/// <summary>
/// Tells <see cref="PopContextCache"/> which customers and numbers a save changed, once the change is committed
/// (a context composed between the save and the commit would read the old rows). The demo seeder's bulk insert does
/// not pass here, and needs not (it fills an empty store before any call).
/// </summary>
internal sealed class PopContextInvalidation(PopContextCache cache) : CommittedChangesInterceptor<PopContextInvalidation.Changed>
{
    protected override void Collect(DbContext context, Func<Changed> get)
    {
        if (!cache.Enabled)
        {
            return;
        }
        // Only saves that touch what a pop shows leave anything pending (the call journal's saves, say, do not).
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case Customer customer:
                    get().Customers.Add(customer.Id);
                    break;
                case CallerChoice choice:
                    get().Numbers.Add(choice.E164);
                    break;
            }
            if (entry.Entity is ICustomerOwned owned)
            {
                get().Customers.Add(owned.CustomerId);
                if (entry.State == EntityState.Modified && entry.Property(nameof(ICustomerOwned.CustomerId)).OriginalValue is Guid before)
                {
                    get().Customers.Add(before);
                }
            }
            if (entry.Entity is ContactPoint point)
            {
                AddNumber(get(), point.E164);
                if (entry.State == EntityState.Modified)
                {
                    AddNumber(get(), entry.Property(nameof(ContactPoint.E164)).OriginalValue as string);
                }
            }
        }
    }

    protected override void Merge(Changed into, Changed from)
    {
        into.Customers.UnionWith(from.Customers);
        into.Numbers.UnionWith(from.Numbers);
    }

    protected override void Committed(Changed pending) => cache.Invalidate(pending.Customers, pending.Numbers);

    private static void AddNumber(Changed changed, string? e164)
    {
        if (e164 is not null)
        {
            changed.Numbers.Add(e164);
        }
    }

    internal sealed class Changed
    {
        public HashSet<Guid> Customers { get; } = [];

        public HashSet<string> Numbers { get; } = new(StringComparer.Ordinal);
    }
}
