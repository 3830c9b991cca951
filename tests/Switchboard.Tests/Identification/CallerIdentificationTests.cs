using System.Net;
using CsCheck;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Data;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Identification;

public sealed class CallerIdentificationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task Identify_ExactSharedLastDigitsAnonymousAndUnknown(StorageProvider provider)
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(provider);
        await using var _ = store;
        using var __ = app;
        var company = await CreateAsync(client, new CustomerInput { DisplayName = "上海示例科技有限公司", Kind = CustomerKind.Company, ContactPoints = [new() { Kind = ContactKind.Switchboard, Value = "021-5555 0100" }] });
        var li = await CreateAsync(client, new CustomerInput { DisplayName = "李娜", CompanyId = company.Id, ContactPoints = [new() { Value = "139 0013 9000" }, new() { Kind = ContactKind.Switchboard, Value = "+86 21 5555 0100" }] });
        var wang = await CreateAsync(client, new CustomerInput { DisplayName = "王强", CompanyId = company.Id, ContactPoints = [new() { Kind = ContactKind.Switchboard, Value = "02155550100" }] });
        await client.PostJsonAsync($"/api/v1/customers/{wang.Id}/tickets", new TicketInput { Subject = "发票" });

        var single = await IdentifyAsync(client, "+86 139-0013-9000");
        Assert.Equal((IdentificationKind.Single, "+8613900139000", li.Id, MatchReason.ExactNumber), (single.Kind, single.E164, single.Candidates[0].CustomerId, single.Candidates[0].Reason));

        // The switchboard number: three customers, the one with an open ticket first, people before the company.
        var shared = await IdentifyAsync(client, "021 5555 0100");
        Assert.Equal(IdentificationKind.Multiple, shared.Kind);
        Assert.Equal([wang.Id, li.Id, company.Id], shared.Candidates.Select(c => c.CustomerId));
        Assert.Equal(1, shared.Candidates[0].OpenTickets);

        // An agent picks Li Na for that number: from now on she comes first, for everyone, and says why.
        var chosen = await client.PostJsonAsync("/api/v1/identify/choices", new IdentificationApiChoice("+862155550100", li.Id, "agent-7"));
        Assert.Equal(HttpStatusCode.NoContent, chosen.StatusCode);
        var remembered = await IdentifyAsync(client, "02155550100");
        Assert.Equal((li.Id, MatchReason.RememberedChoice), (remembered.Candidates[0].CustomerId, remembered.Candidates[0].Reason));
        Assert.Contains("chose", remembered.Explanation, StringComparison.Ordinal);

        // An internal PBX sends the number without its area code: the last 8 digits still find the customers.
        var lastDigits = await IdentifyAsync(client, "5555 0100");
        Assert.Equal(IdentificationKind.Multiple, lastDigits.Kind);
        Assert.All(lastDigits.Candidates.Skip(1), c => Assert.Equal(MatchReason.LastDigits, c.Reason));

        Assert.Equal(IdentificationKind.Anonymous, (await IdentifyAsync(client, "anonymous")).Kind);
        Assert.Equal(IdentificationKind.Anonymous, (await IdentifyAsync(client, "+266696687")).Kind);
        Assert.Equal(IdentificationKind.Anonymous, (await IdentifyAsync(client, null)).Kind);
        var unknown = await IdentifyAsync(client, "13700137000");
        Assert.Equal((IdentificationKind.Unknown, "+8613700137000"), (unknown.Kind, unknown.E164));
        Assert.Empty(unknown.Candidates);
    }

    [Fact]
    public async Task RememberChoice_RejectsWhatItCannotUse()
    {
        var (store, app, client) = await SwitchboardApplication.StartAsync(StorageProvider.Sqlite);
        await using var _ = store;
        using var __ = app;
        Assert.Equal(["number"], (await Problem.ReadAsync(await client.PostJsonAsync("/api/v1/identify/choices", new IdentificationApiChoice("hello", Guid.CreateVersion7(), null)), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal("customer.not_found", (await Problem.ReadAsync(await client.PostJsonAsync("/api/v1/identify/choices", new IdentificationApiChoice("13800138000", Guid.CreateVersion7(), null)), HttpStatusCode.NotFound)).Code);
        Assert.Equal(["customerId"], (await Problem.ReadAsync(await client.PostJsonAsync("/api/v1/identify/choices", new IdentificationApiChoice("13800138000", null, null)), HttpStatusCode.BadRequest)).Errors.Keys);
        Assert.Equal(["number"], (await Problem.ReadAsync(await client.GetAsync("/api/v1/identify?number=" + new string('1', 65), Ct), HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Fact]
    public void SuffixRange_SelectsExactlyTheKeysEndingInThoseDigits() =>
        Gen.Select(Gen.Char['0', '9'].Array[6, 15].Select(a => new string(a)), Gen.Char['0', '9'].Array[6, 15].Select(a => new string(a)), Gen.Int[6, 8])
            .Sample((stored, called, n) =>
            {
                var key = PhoneDigits.Reversed(null, stored)!;
                var range = PhoneDigits.SuffixRange(called, n);
                if (range is not var (low, high))
                {
                    return called.Length < n;
                }
                var inRange = string.CompareOrdinal(key, low) >= 0 && (high is null || string.CompareOrdinal(key, high) < 0);
                var endsAlike = stored.Length >= n && stored[^n..] == called[^n..];
                return inRange == endsAlike;
            });

    [Fact]
    public void Ranking_IsIndependentOfTheOrderCandidatesCameIn() =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 5], Gen.Bool, Gen.Enum<MatchReason>()).Select((tickets, days, company, reason) => (tickets, days, company, reason)).Array[1, 8]
            .Select(Gen.Int.Array[8], (facts, order) => (facts, order))
            .Sample(sample =>
            {
                var candidates = sample.facts.Select((f, i) => new CallerCandidate(
                    new Guid(i + 1, 0, 0, new byte[8]), $"c{i}", f.company ? CustomerKind.Company : CustomerKind.Person, ValueTier.Standard, null,
                    f.tickets, DateTime.UnixEpoch.AddDays(f.days), f.reason == MatchReason.RememberedChoice ? MatchReason.ExactNumber : f.reason)).ToList();
                var shuffled = candidates.Select((c, i) => (c, k: sample.order[i % sample.order.Length])).OrderBy(x => x.k).Select(x => x.c).ToList();
                var remembered = candidates[^1].CustomerId;
                var a = CallerRanking.Rank(candidates, remembered);
                var b = CallerRanking.Rank(shuffled, remembered);
                return a.SequenceEqual(b) && a[0].CustomerId == remembered && a[0].Reason == MatchReason.RememberedChoice;
            });

    private static async Task<CustomerView> CreateAsync(HttpClient client, CustomerInput input)
    {
        var response = await client.PostJsonAsync("/api/v1/customers", input);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<CustomerView>();
    }

    private static async Task<CallerIdentification> IdentifyAsync(HttpClient client, string? number) =>
        await (await client.GetAsync("/api/v1/identify" + (number is null ? "" : "?number=" + Uri.EscapeDataString(number)), Ct)).ReadAsync<CallerIdentification>();

    private sealed record IdentificationApiChoice(string? Number, Guid? CustomerId, string? AgentId);
}
