using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Data;

/// <summary>
/// The life of a record as a state machine, checked against a model: any sequence of creates, replaces and deletes,
/// with right, stale and future versions, leaves the store exactly where the model says, and every refused write
/// is refused with the right error and changes nothing.
/// </summary>
public sealed class RecordLifecyclePropertyTests
{
    private abstract record Op;
    private sealed record Create(decimal Amount) : Op;
    private sealed record Replace(int Target, int VersionSkew, decimal Amount) : Op;
    private sealed record Delete(int Target, int? VersionSkew) : Op;

    private static readonly Gen<decimal> Amounts = Gen.Int[0, 1_000_000].Select(cents => cents / 100m);
    private static readonly Gen<Op> Ops = Gen.Frequency(
        (2, Amounts.Select(a => (Op)new Create(a))),
        (4, Gen.Select(Gen.Int[0, 5], Gen.Int[-1, 1], Amounts).Select((t, s, a) => (Op)new Replace(t, s, a))),
        (1, Gen.Select(Gen.Int[0, 5], Gen.Int[-1, 1].Nullable()).Select((t, s) => (Op)new Delete(t, s))));

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task AnySequenceOfWrites_MatchesTheModel(StorageProvider provider)
    {
        var (store, app, _) = await SwitchboardApplication.StartAsync(provider);
        await using var _store = store;
        using var _app = app;

        await Ops.Array[1, 25].SampleAsync(async ops =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var customers = scope.ServiceProvider.GetRequiredService<CustomerService>();
            var orders = scope.ServiceProvider.GetRequiredService<CustomerRecordService<Order, OrderInput, OrderView>>();
            var customer = (await customers.CreateAsync(new CustomerInput { DisplayName = "model" }, CancellationToken.None)).Value;
            var model = new List<(Guid Id, long Version, decimal Amount, bool Deleted)>();

            foreach (var op in ops)
            {
                switch (op)
                {
                    case Create create:
                    {
                        var result = await orders.CreateAsync(customer.Id, Input(create.Amount, model.Count), CancellationToken.None);
                        Assert.True(result.IsSuccess);
                        model.Add((result.Value.Id, 1, create.Amount, false));
                        break;
                    }
                    case Replace replace when replace.Target < model.Count:
                    {
                        var (id, version, amount, deleted) = model[replace.Target];
                        var result = await orders.ReplaceAsync(id, version + replace.VersionSkew, Input(replace.Amount, replace.Target), CancellationToken.None);
                        if (deleted)
                        {
                            Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
                        }
                        else if (replace.VersionSkew != 0)
                        {
                            Assert.Equal(ErrorCodes.VersionConflict, result.Error?.Code);
                        }
                        else
                        {
                            Assert.Equal(version + 1, result.Value.Version);
                            model[replace.Target] = (id, version + 1, replace.Amount, false);
                        }
                        break;
                    }
                    case Delete delete when delete.Target < model.Count:
                    {
                        var (id, version, amount, deleted) = model[delete.Target];
                        var result = await orders.DeleteAsync(id, delete.VersionSkew is { } skew ? version + skew : null, CancellationToken.None);
                        if (deleted)
                        {
                            Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
                        }
                        else if (delete.VersionSkew is not (null or 0))
                        {
                            Assert.Equal(ErrorCodes.VersionConflict, result.Error?.Code);
                        }
                        else
                        {
                            Assert.True(result.IsSuccess);
                            model[delete.Target] = (id, version, amount, true);
                        }
                        break;
                    }
                }

                // After every step the store says exactly what the model says.
                var page = await orders.ListAsync(customer.Id, new PageRequest(Limit: 200), CancellationToken.None);
                Assert.Equal(
                    model.Where(m => !m.Deleted).Select(m => (m.Id, m.Version, (decimal?)m.Amount)).OrderBy(m => m.Id),
                    page.Value.Items.Select(o => (o.Id, o.Version, o.Amount)).OrderBy(m => m.Id));
            }
        }, iter: 25, threads: 1);
    }

    private static OrderInput Input(decimal amount, int index) =>
        new() { Number = $"SO-{Guid.CreateVersion7():N}-{index}", Amount = amount, Currency = "CNY" };
}
