using System.Globalization;
using Switchboard.Core.Common;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;

namespace Switchboard.Core.Demo;

/// <summary>
/// A deterministic synthetic CRM: the same seed, locale and as-of date give the same rows, ids included.
/// Customers join evenly over five years before the as-of date; their orders, tickets, calls and tasks
/// come after they joined. Pure: no I/O, no clock.
/// </summary>
internal sealed class DemoDataGenerator
{
    private static readonly TimeSpan History = TimeSpan.FromDays(5 * 365);
    private readonly DemoLocale _locale;
    private readonly Random _random;
    private readonly DateTimeOffset _asOf;
    private readonly long _total;
    private readonly string[] _firstNames;
    private readonly string[] _lastNames;
    private readonly string[] _companyStems;
    private readonly HashSet<string> _usedMobiles = new(StringComparer.Ordinal);
    private long _next;
    private long _orderCounter;
    private long _ticketCounter;

    public DemoDataGenerator(string locale, int seed, DateTimeOffset asOf, long total)
    {
        _locale = DemoLocale.For(locale);
        _random = new Random(seed);
        _asOf = asOf;
        _total = total;
        var bogus = new Bogus.Randomizer(seed);
        var names = new Bogus.DataSets.Name(_locale.BogusLocale) { Random = bogus };
        var companies = new Bogus.DataSets.Address(_locale.BogusLocale) { Random = bogus };
        _firstNames = Enumerable.Range(0, 3000).Select(_ => names.FirstName()).Distinct().ToArray();
        _lastNames = Enumerable.Range(0, 3000).Select(_ => names.LastName()).Distinct().ToArray();
        _companyStems = Enumerable.Range(0, 3000).Select(_ => locale == "zh-CN" ? companies.City() : names.LastName()).Distinct().ToArray();
    }

    public bool HasMore => _next < _total;

    /// <summary>Generates the next customers (companies come with their contacts, so a batch may hold a few more).</summary>
    public DemoBatch Next(int customers)
    {
        var batch = new DemoBatch();
        while (batch.Customers.Count < customers && _next < _total)
        {
            if (Chance(0.06) && _total - _next >= 4)
            {
                AddCompany(batch);
            }
            else
            {
                AddPerson(batch, company: null, switchboardRaw: null, switchboardE164: null);
            }
        }
        return batch;
    }

    private void AddCompany(DemoBatch batch)
    {
        var company = NewCustomer(CustomerKind.Company, CompanyName());
        batch.Customers.Add(company);
        var (region, area) = _locale.Regions[_random.Next(_locale.Regions.Length)];
        company.Region = region;
        var (raw, e164) = Landline(area);
        batch.ContactPoints.Add(NewContactPoint(company, ContactKind.Switchboard, raw, e164, primary: true));
        AddExternalId(batch, company, CrmEntity.Customer, "erp", string.Create(CultureInfo.InvariantCulture, $"C{_next:D8}"));
        AddActivity(batch, company);
        var contacts = _random.Next(2, 6);
        for (var i = 0; i < contacts && _next < _total; i++)
        {
            AddPerson(batch, company, raw, e164);
        }
    }

    private void AddPerson(DemoBatch batch, Customer? company, string? switchboardRaw, string? switchboardE164)
    {
        var person = NewCustomer(CustomerKind.Person, PersonName());
        person.CompanyId = company?.Id;
        batch.Customers.Add(person);
        if (company is not null)
        {
            person.Region = company.Region;
        }
        var area = _locale.Regions.First(r => r.Region == person.Region).AreaCode;

        var (mobileRaw, mobileE164) = Mobile(area);
        batch.ContactPoints.Add(NewContactPoint(person, ContactKind.Mobile, mobileRaw, mobileE164, primary: true));
        if (Chance(0.2))
        {
            var (raw, e164) = Mobile(area);
            batch.ContactPoints.Add(NewContactPoint(person, ContactKind.Mobile, raw, e164, primary: false));
        }
        if (switchboardRaw is not null)
        {
            batch.ContactPoints.Add(NewContactPoint(person, ContactKind.Switchboard, switchboardRaw, switchboardE164, primary: false));
        }
        else if (Chance(0.12))
        {
            var (raw, e164) = Landline(area);
            batch.ContactPoints.Add(NewContactPoint(person, ContactKind.Home, raw, e164, primary: false));
        }
        if (Chance(0.25))
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"user{_next}@example.com");
            var point = NewContactPoint(person, ContactKind.Email, email, null, primary: false);
            point.Email = email;
            batch.ContactPoints.Add(point);
        }
        if (Chance(0.004))
        {
            // What real CRMs hold: a number nobody can dial. Kept raw and flagged, never dropped.
            var point = NewContactPoint(person, ContactKind.OtherPhone, "ask reception / 前台转", null, primary: false);
            point.Status = ContactPointStatus.Invalid;
            batch.ContactPoints.Add(point);
        }
        if (Chance(0.4))
        {
            AddExternalId(batch, person, CrmEntity.Customer, "erp", string.Create(CultureInfo.InvariantCulture, $"C{_next:D8}"));
        }
        AddActivity(batch, person);
    }

    private Customer NewCustomer(CustomerKind kind, string name)
    {
        var createdAt = _asOf - History + (History * ((double)_next / Math.Max(1, _total)));
        _next++;
        var tier = Pick((0.70, ValueTier.Standard), (0.18, ValueTier.Silver), (0.09, ValueTier.Gold), (0.03, ValueTier.Vip));
        var customer = new Customer
        {
            Id = DeterministicIds.At(createdAt, _random),
            Kind = kind,
            DisplayName = name,
            NameKey = SearchKeys.Name(name),
            Tier = kind == CustomerKind.Company && tier == ValueTier.Standard ? ValueTier.Silver : tier,
            Lifecycle = Pick((0.05, LifecycleStage.Lead), (0.10, LifecycleStage.Prospect), (0.55, LifecycleStage.Active),
                (0.15, LifecycleStage.Loyal), (0.10, LifecycleStage.AtRisk), (0.05, LifecycleStage.Churned)),
            Region = _locale.Regions[_random.Next(_locale.Regions.Length)].Region,
            PreferredLanguage = _locale.Languages[_random.Next(_locale.Languages.Length)],
            CreatedAt = createdAt.UtcDateTime,
            UpdatedAt = createdAt.UtcDateTime,
        };
        var tagCount = _random.Next(0, 4) - 1;
        for (var i = 0; i < tagCount; i++)
        {
            var tag = _locale.Tags[_random.Next(_locale.Tags.Length)];
            if (!customer.Tags.Contains(tag))
            {
                customer.Tags.Add(tag);
            }
        }
        if (customer.Tier is ValueTier.Gold or ValueTier.Vip || kind == CustomerKind.Company)
        {
            customer.OwnerAgentId = string.Create(CultureInfo.InvariantCulture, $"agent-{_random.Next(1, 201):D3}");
        }
        else if (Chance(0.5))
        {
            customer.OwnerTeam = "service-" + customer.Region!.ToLowerInvariant();
        }
        if (customer.Tier == ValueTier.Vip)
        {
            customer.Tags.Add("vip");
        }
        return customer;
    }

    private void AddActivity(DemoBatch batch, Customer customer)
    {
        var joined = new DateTimeOffset(customer.CreatedAt, TimeSpan.Zero);
        var orders = Count(customer.Tier switch { ValueTier.Vip => 3.0, ValueTier.Gold => 2.0, _ => 1.0 });
        for (var i = 0; i < orders; i++)
        {
            var at = After(joined);
            var amount = Math.Round((decimal)(Math.Exp(4.5 + _random.NextDouble() * 3) * (customer.Tier == ValueTier.Vip ? 4 : 1)), 2);
            batch.Orders.Add(new Order
            {
                Id = DeterministicIds.At(at, _random), CustomerId = customer.Id,
                Number = string.Create(CultureInfo.InvariantCulture, $"SO{at:yyyyMMdd}{++_orderCounter:D8}"),
                Amount = amount, Currency = _locale.Currency,
                Status = Pick((0.05, OrderStatus.Pending), (0.1, OrderStatus.Paid), (0.1, OrderStatus.Shipped),
                    (0.65, OrderStatus.Delivered), (0.05, OrderStatus.Cancelled), (0.05, OrderStatus.Refunded)),
                PlacedAt = at.UtcDateTime, CreatedAt = at.UtcDateTime, UpdatedAt = at.UtcDateTime,
            });
        }
        if (Chance(0.25))
        {
            AddTicket(batch, customer, joined);
        }
        var calls = Count(0.9);
        for (var i = 0; i < calls; i++)
        {
            var at = After(joined);
            var inbound = Chance(0.8);
            batch.Interactions.Add(new Interaction
            {
                Id = DeterministicIds.At(at, _random), CustomerId = customer.Id,
                Kind = Chance(0.85) ? InteractionKind.Call : InteractionKind.Note,
                Direction = inbound ? InteractionDirection.Inbound : InteractionDirection.Outbound,
                StartedAt = at.UtcDateTime, EndedAt = (at + TimeSpan.FromSeconds(_random.Next(30, 900))).UtcDateTime,
                AgentId = string.Create(CultureInfo.InvariantCulture, $"agent-{_random.Next(1, 201):D3}"),
                Summary = _locale.CallSummaries[_random.Next(_locale.CallSummaries.Length)],
                CreatedAt = at.UtcDateTime, UpdatedAt = at.UtcDateTime,
            });
        }
        if (Chance(customer.Tier is ValueTier.Gold or ValueTier.Vip || customer.Kind == CustomerKind.Company ? 0.3 : 0.03))
        {
            var at = After(joined);
            batch.Opportunities.Add(new Opportunity
            {
                Id = DeterministicIds.At(at, _random), CustomerId = customer.Id,
                Title = _locale.OpportunityTitles[_random.Next(_locale.OpportunityTitles.Length)],
                Stage = Pick((0.3, OpportunityStage.Qualification), (0.2, OpportunityStage.NeedsAnalysis), (0.2, OpportunityStage.Proposal),
                    (0.1, OpportunityStage.Negotiation), (0.1, OpportunityStage.Won), (0.1, OpportunityStage.Lost)),
                Amount = _random.Next(1, 200) * 500m, Currency = _locale.Currency,
                OwnerAgentId = customer.OwnerAgentId ?? string.Create(CultureInfo.InvariantCulture, $"agent-{_random.Next(1, 201):D3}"),
                ExpectedCloseAt = (_asOf + TimeSpan.FromDays(_random.Next(7, 120))).UtcDateTime,
                CreatedAt = at.UtcDateTime, UpdatedAt = at.UtcDateTime,
            });
        }
        if (Chance(0.05))
        {
            var at = After(joined);
            batch.Tasks.Add(new FollowUpTask
            {
                Id = DeterministicIds.At(at, _random), CustomerId = customer.Id,
                Title = _locale.TaskTitles[_random.Next(_locale.TaskTitles.Length)],
                AssigneeAgentId = customer.OwnerAgentId, AssigneeTeam = customer.OwnerAgentId is null ? "service" : null,
                DueAt = (_asOf + TimeSpan.FromDays(_random.Next(-3, 14))).UtcDateTime,
                Status = Chance(0.6) ? FollowUpStatus.Open : FollowUpStatus.Done,
                CreatedAt = at.UtcDateTime, UpdatedAt = at.UtcDateTime,
            });
        }
    }

    private void AddTicket(DemoBatch batch, Customer customer, DateTimeOffset joined)
    {
        var at = After(joined);
        var subjectIndex = _random.Next(_locale.TicketSubjects.Length);
        var complaint = subjectIndex == _locale.TicketSubjects.Length - 1 || Chance(0.05);
        var ticket = new Ticket
        {
            Id = DeterministicIds.At(at, _random), CustomerId = customer.Id,
            Number = string.Create(CultureInfo.InvariantCulture, $"TK-{at:yyyyMMdd}-{++_ticketCounter:X8}"),
            Subject = _locale.TicketSubjects[subjectIndex],
            Status = Pick((0.1, TicketStatus.New), (0.15, TicketStatus.Open), (0.1, TicketStatus.Pending), (0.3, TicketStatus.Resolved), (0.35, TicketStatus.Closed)),
            Priority = complaint ? TicketPriority.High : Pick((0.2, TicketPriority.Low), (0.6, TicketPriority.Normal), (0.15, TicketPriority.High), (0.05, TicketPriority.Urgent)),
            Category = complaint ? "complaint" : new[] { "billing", "delivery", "product", "account" }[_random.Next(4)],
            IsSensitive = complaint,
            CreatedAt = at.UtcDateTime, UpdatedAt = at.UtcDateTime,
        };
        batch.Tickets.Add(ticket);
        var updates = _random.Next(0, 3);
        for (var i = 0; i < updates; i++)
        {
            var updateAt = at + TimeSpan.FromHours(_random.Next(1, 72) * (i + 1));
            batch.TicketUpdates.Add(new TicketUpdate
            {
                Id = DeterministicIds.At(updateAt, _random), TicketId = ticket.Id,
                Author = string.Create(CultureInfo.InvariantCulture, $"agent-{_random.Next(1, 201):D3}"),
                Body = _locale.CallSummaries[_random.Next(_locale.CallSummaries.Length)], IsInternal = Chance(0.3),
                CreatedAt = updateAt.UtcDateTime, UpdatedAt = updateAt.UtcDateTime,
            });
        }
    }

    private void AddExternalId(DemoBatch batch, CrmRecord record, CrmEntity type, string system, string key) =>
        batch.ExternalIds.Add(new ExternalId { Id = DeterministicIds.At(_asOf, _random), EntityType = type, EntityId = record.Id, System = system, Key = key });

    private ContactPoint NewContactPoint(Customer customer, ContactKind kind, string raw, string? e164, bool primary) => new()
    {
        Id = DeterministicIds.At(new DateTimeOffset(customer.CreatedAt, TimeSpan.Zero), _random),
        CustomerId = customer.Id, Kind = kind, Raw = raw, E164 = e164, IsPrimary = primary,
        ReversedDigits = kind == ContactKind.Email ? null : PhoneDigits.Reversed(e164, raw),
        Status = ContactPointStatus.Valid, CreatedAt = customer.CreatedAt, UpdatedAt = customer.CreatedAt,
    };

    private string PersonName() => _locale.CountryCode == "86"
        ? _lastNames[_random.Next(_lastNames.Length)] + _firstNames[_random.Next(_firstNames.Length)]
        : _firstNames[_random.Next(_firstNames.Length)] + " " + _lastNames[_random.Next(_lastNames.Length)];

    private string CompanyName() =>
        _companyStems[_random.Next(_companyStems.Length)] + (_locale.CountryCode == "86" ? "" : " ")
        + _locale.CompanySuffixes[_random.Next(_locale.CompanySuffixes.Length)];

    /// <summary>A unique mobile number in one of the formats people and PBXs really write.</summary>
    private (string Raw, string E164) Mobile(string area)
    {
        while (true)
        {
            string national;
            if (_locale.CountryCode == "86")
            {
                national = _locale.MobilePrefixes[_random.Next(_locale.MobilePrefixes.Length)] + Digits(8);
            }
            else
            {
                national = area + _random.Next(2, 10).ToString(CultureInfo.InvariantCulture) + Digits(6);
            }
            if (_usedMobiles.Add(national))
            {
                return (FormatRaw(national, area), "+" + _locale.CountryCode + national);
            }
        }
    }

    private (string Raw, string E164) Landline(string area)
    {
        var subscriber = _locale.CountryCode == "86"
            ? _random.Next(2, 9).ToString(CultureInfo.InvariantCulture) + Digits(7)
            : _random.Next(2, 10).ToString(CultureInfo.InvariantCulture) + Digits(6);
        var national = area + subscriber;
        var raw = _locale.CountryCode == "86"
            ? $"0{area}-{subscriber}"
            : $"({area}) {subscriber[..3]}-{subscriber[3..]}";
        return (raw, "+" + _locale.CountryCode + national);
    }

    private string FormatRaw(string national, string area) => (_locale.CountryCode, _random.Next(5)) switch
    {
        ("86", 0) => national,
        ("86", 1) => $"{national[..3]} {national[3..7]} {national[7..]}",
        ("86", 2) => $"+86 {national[..3]}-{national[3..7]}-{national[7..]}",
        ("86", 3) => $"0086{national}",
        ("86", _) => $"{national[..3]}-{national[3..7]}-{national[7..]}",
        (_, 0) => national,
        (_, 1) => $"({area}) {national[3..6]}-{national[6..]}",
        (_, 2) => $"+1 {area}-{national[3..6]}-{national[6..]}",
        (_, 3) => $"1{national}",
        _ => $"{area}.{national[3..6]}.{national[6..]}",
    };

    private string Digits(int count)
    {
        Span<char> digits = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + _random.Next(10));
        }
        return new string(digits);
    }

    private DateTimeOffset After(DateTimeOffset joined)
    {
        var span = _asOf - joined;
        return joined + (span * _random.NextDouble());
    }

    /// <summary>A small count with the given mean (geometric), as order and call counts are in real CRMs.</summary>
    private int Count(double mean)
    {
        var p = 1 / (1 + mean);
        var n = 0;
        while (_random.NextDouble() > p && n < 20)
        {
            n++;
        }
        return n;
    }

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(params (double Weight, T Value)[] choices)
    {
        var roll = _random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (weight, value) in choices)
        {
            roll -= weight;
            if (roll < 0)
            {
                return value;
            }
        }
        return choices[^1].Value;
    }
}
