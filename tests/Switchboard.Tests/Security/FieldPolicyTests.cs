using CsCheck;
using Switchboard.Core.Calls;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.ScreenPop;
using Switchboard.Core.Security;

namespace Switchboard.Tests.Security;

public sealed class FieldPolicyTests
{
    [Theory]
    [InlineData("13800138000", "138****8000")]
    [InlineData("+8613800138000", "+86138****8000")]
    [InlineData("+86 138-0013-8000", "+86 138-****-8000")]
    [InlineData("010-12345678", "010-****5678")]
    [InlineData("8001", "**01")]
    [InlineData("anonymous", "anonymous")]
    [InlineData("", "")]
    public void Masking_HidesTheFourDigitsBeforeTheLastFour(string number, string masked) =>
        Assert.Equal(masked, PhoneMask.Mask(number));

    [Fact]
    public void Masking_KeepsLengthAndEveryOtherCharacter_AndNeverShowsAHiddenDigit() =>
        Gen.String[Gen.Char["0123456789+- ()"], 0, 24].Sample(number =>
        {
            var masked = PhoneMask.Mask(number)!;
            Assert.Equal(number.Length, masked.Length);
            var digits = number.Count(char.IsAsciiDigit);
            var hidden = digits >= 9 ? 4 : Math.Max(0, digits - 2);
            Assert.Equal(hidden, masked.Count(c => c == '*'));
            for (var i = 0; i < number.Length; i++)
            {
                Assert.True(masked[i] == number[i] || (masked[i] == '*' && char.IsAsciiDigit(number[i])), $"{number} → {masked}");
            }
            var kept = digits >= 9 ? 4 : Math.Min(2, digits); // the last digits stay, to recognise the number by
            Assert.Equal(new string([.. number.Where(char.IsAsciiDigit).TakeLast(kept)]), new string([.. masked.Where(char.IsAsciiDigit).TakeLast(kept)]));
        });

    private static readonly Guid CustomerId = Guid.CreateVersion7();

    private static ScreenPopMessage Pop() => new(
        Guid.CreateVersion7(),
        new PopCall("pbx", "c-1", CallPhase.Ringing, CallDirection.Inbound, "+8613800138000", "4008001234", "vip", "agent-1", null, null),
        new CallerIdentification(IdentificationKind.Single, "+8613800138000", "+8613800138000",
            [new CallerCandidate(CustomerId, "王伟", CustomerKind.Person, ValueTier.Vip, null, null, null, MatchReason.ExactNumber)], "exact"),
        new PopCustomer(CustomerId, "王伟", CustomerKind.Person, ValueTier.Vip, LifecycleStage.Active, ["vip"], "Shanghai", "zh-CN", null, null, null, null,
            [new PopTicket(Guid.CreateVersion7(), "TK-1", "投诉到银保监会", TicketStatus.Open, TicketPriority.High, "complaint", true, DateTime.UnixEpoch),
             new PopTicket(Guid.CreateVersion7(), "TK-2", "发票地址", TicketStatus.Open, TicketPriority.Normal, null, false, DateTime.UnixEpoch)],
            [], [new PopOrder(Guid.CreateVersion7(), "SO-1", 888.80m, "CNY", OrderStatus.Delivered, DateTime.UnixEpoch)],
            [new PopOpportunity(Guid.CreateVersion7(), "升级", OpportunityStage.Proposal, 12_000m, "CNY", "sales-1")]),
        DateTime.UnixEpoch);

    [Fact]
    public void AnAgentsPop_HasTheNumberMasked_NoAmounts_NoComplaintContent_ButEverythingElse()
    {
        var pop = FieldPolicy.Shape(Pop(), new Viewer("agent-1", Role.Agent));
        Assert.Equal(("+86138****8000", "+86138****8000"), (pop.Call.From, pop.Identification.Number));
        var customer = pop.Customer!;
        Assert.Null(customer.OpenTickets[0].Subject);           // the complaint's subject is withheld
        Assert.Equal("发票地址", customer.OpenTickets[1].Subject); // an ordinary ticket is not
        Assert.Null(customer.RecentOrders[0].Amount);
        Assert.Null(customer.OpenOpportunities[0].Amount);
        Assert.Equal(("王伟", ValueTier.Vip, "SO-1"), (customer.DisplayName, customer.Tier, customer.RecentOrders[0].Number));
    }

    [Fact]
    public void WithheldFields_AreAbsentFromTheJson_NotEmpty()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(FieldPolicy.Shape(Pop(), new Viewer("agent-1", Role.Agent)), Switchboard.Tests.TestSupport.SwitchboardApplication.Json);
        Assert.DoesNotContain("\"amount\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("银保监会", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"subject\":null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"subject\":\"\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EachRole_SeesExactlyWhatItIsClearedFor()
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            var pop = FieldPolicy.Shape(Pop(), new Viewer("x", role));
            Assert.Equal(Clearance.FullNumbers(role), pop.Call.From == "+8613800138000");
            Assert.Equal(Clearance.Amounts(role), pop.Customer!.RecentOrders[0].Amount is not null);
            Assert.Equal(Clearance.Amounts(role), pop.Customer.OpenOpportunities[0].Amount is not null);
            Assert.Equal(Clearance.ComplaintContent(role), pop.Customer.OpenTickets[0].Subject is not null);
            if (FieldPolicy.SeesAll(role))
            {
                var original = Pop();
                Assert.Same(original, FieldPolicy.Shape(original, new Viewer("x", role)));
            }
        }
        // Managers see full records; agents do not.
        Assert.True(FieldPolicy.SeesAll(Role.Manager));
        Assert.False(FieldPolicy.SeesAll(Role.Agent));
    }

    [Fact]
    public void ReadAudits_NameTheFieldsShown_NotTheWithheldOnes()
    {
        var agent = Disclosures.Of(FieldPolicy.Shape(new OrderView(Guid.CreateVersion7(), CustomerId, "SO-1", 10m, "CNY", OrderStatus.Paid, DateTime.UnixEpoch, [], 1, DateTime.UnixEpoch, DateTime.UnixEpoch),
            new Viewer("agent-1", Role.Agent)));
        var shown = Assert.Single(agent);
        Assert.Equal(("order", CustomerId), (shown.RecordType, shown.CustomerId));
        Assert.Contains("number", shown.Fields);
        Assert.DoesNotContain("amount", shown.Fields);
    }
}
