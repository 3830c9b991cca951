using CsCheck;
using Switchboard.Core.Mapping;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Mapping;

/// <summary>The mapping engine on its own: reading specs (and refusing hostile ones), cleansing, value maps, and the round trip.</summary>
public sealed class MappingEngineTests
{
    /// <summary>A Salesforce-shaped account mapping, as a CRM administrator would write it in YAML.</summary>
    public const string SalesforceYaml = """
        # Salesforce accounts ↔ Switchboard customers
        name: salesforce-accounts
        entity: customer
        system: salesforce
        key: Id
        region: CN
        timeZone: Asia/Shanghai
        fields:
          - target: displayName
            source: Name
            transforms: [trim, halfwidth, collapse]
            required: true
          - target: tier
            source: Value_Tier__c        # the CRM's value tier A/B/C ↔ the call center's customer level
            values: { A: vip, B: gold, C: standard }
            default: standard
          - target: mobile
            source: MobilePhone
            transforms: [e164]
          - target: email
            source: Email__c
            transforms: [trim, lower]
          - target: tags
            source: Tags__c
            transforms: ["split:;"]
          - target: lifecycle
            source: Stage__c
            values: { Lead: lead, Customer: active, Former: churned }
            owner: external
          - target: preferredLanguage
            source: Language__c
            owner: switchboard
          - target: region
            expression: "if(BillingState == '', 'unknown', BillingState)"
        """;

    private static MappingSpec Salesforce()
    {
        var spec = MappingSpec.Read(SalesforceYaml, yaml: true);
        Assert.True(spec.IsSuccess, string.Join("; ", spec.Error?.Fields?.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}") ?? []));
        return spec.Value;
    }

    [Fact]
    public void ARecord_IsCleansed_ValueMapped_AndDefaulted_OnTheWayIn()
    {
        var mapped = Salesforce().MapIn(new Dictionary<string, string?>
        {
            ["Id"] = "001A000001", ["Name"] = "  上海ＡＢＣ　贸易   有限公司 ", ["Value_Tier__c"] = "A", ["MobilePhone"] = "１３８-0013-8000",
            ["Email__c"] = " Li.Wei@Example.COM ", ["Tags__c"] = "续约; 大客户 ;", ["Stage__c"] = "Customer", ["BillingState"] = "浙江",
        });
        Assert.True(mapped.Ok, string.Join("; ", mapped.Errors));
        Assert.Equal("001A000001", mapped.Key);
        Assert.Equal("上海ABC 贸易 有限公司", mapped.Values["displayName"]);
        Assert.Equal("vip", mapped.Values["tier"]);
        Assert.Equal("+8613800138000", mapped.Values["mobile"]);
        Assert.Equal("li.wei@example.com", mapped.Values["email"]);
        Assert.Equal(["续约", "大客户"], Assert.IsType<List<string>>(mapped.Values["tags"]));
        Assert.Equal("active", mapped.Values["lifecycle"]);
        Assert.Equal("浙江", mapped.Values["region"]);

        var sparse = Salesforce().MapIn(new Dictionary<string, string?> { ["Id"] = "001A000002", ["Name"] = "x" });
        Assert.Equal(("standard", "unknown"), (sparse.Values["tier"], sparse.Values["region"])); // a default, and a computed field's fallback
        Assert.False(sparse.Values.ContainsKey("mobile"));
    }

    [Fact]
    public void EveryBadValue_IsNamed_WithItsField_AndTheRecordIsRefused()
    {
        var mapped = Salesforce().MapIn(new Dictionary<string, string?>
        {
            ["Name"] = "   ", ["Value_Tier__c"] = "Z", ["MobilePhone"] = "call me", ["Email__c"] = "not an address", ["Stage__c"] = "Prospect?",
        });
        Assert.False(mapped.Ok);
        Assert.Equal(["Email__c", "Id", "MobilePhone", "Name", "Stage__c", "Value_Tier__c"], mapped.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains(mapped.Errors, e => e.Field == "Value_Tier__c" && e.Reason.Contains("map it with values", StringComparison.Ordinal));
    }

    [Fact]
    public void ABadSpec_IsRefused_NamingEveryProblem()
    {
        var document = SpecReader.Read("""
            name: Bad Name
            entity: order
            system: salesforce
            region: XX
            timeZone: Mars/Olympus
            fields:
              - target: shoeSize
                source: Shoe
              - target: tier
                source: Level
                values: { A: vip, B: platinum, C: vip }
              - target: tags
                source: Tags
              - target: mobile
                source: Phone
                expression: "1 + 1"
                transforms: [e165, "date:"]
              - target: region
                expression: "if(("
            """, yaml: true);
        Assert.True(document.IsSuccess);
        var spec = MappingSpec.Parse(document.Value);
        Assert.False(spec.IsSuccess);
        var fields = spec.Error!.Fields!;
        foreach (var field in new[] { "name", "entity", "key", "region", "timeZone", "fields[0].target", "fields[1].values", "fields[2].transforms",
                     "fields[3].source", "fields[3].transforms[0]", "fields[3].transforms[1]", "fields[4].expression" })
        {
            Assert.True(fields.ContainsKey(field), $"no error for {field}: {string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}"))}");
        }
        Assert.Contains(fields["fields[1].values"], r => r.Contains("platinum", StringComparison.Ordinal));
        Assert.Contains(fields["fields[1].values"], r => r.Contains("cannot be mapped back out", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> HostileYaml => new()
    {
        { "billion laughs", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" },
        { "a tag", "name: !!python/object:os.system x\n" },
        { "deep", string.Concat(Enumerable.Range(0, 40).Select(i => new string(' ', i * 2) + "a:\n")) + new string(' ', 80) + "b: 1\n" },
        { "two documents", "name: a\n---\nname: b\n" },
        { "a key twice", "name: a\nname: b\n" },
        { "too large", "name: " + new string('x', 300_000) + "\n" },
        { "not a mapping", "- just\n- a list\n" },
    };

    [Theory, MemberData(nameof(HostileYaml))]
    public async Task HostileYaml_IsRefusedQuickly_AsAValidationError(string kind, string yaml)
    {
        // A hang guard, not a benchmark: an expansion would take many minutes or exhaust memory.
        var read = await Task.Run(() => SpecReader.Read(yaml, yaml: true), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        Assert.False(read.IsSuccess, kind);
        Assert.NotNull(read.Error!.Fields);
    }

    private static readonly Gen<string> Word = Gen.Char["a-zA-Z0-9一二三四五六七八九十中文客户"].Array[1, 12].Select(c => new string(c));

    [Fact]
    public void MappedOutAndBack_SwitchboardsValuesAreUnchanged_OnEveryFieldMappedBothWays()
    {
        var spec = Salesforce();
        Gen.Select(Word.Array[1, 4], Gen.OneOf("vip", "gold", "standard"), Gen.Long[13_000_000_000, 13_999_999_999], Word.Array[0, 5], Gen.OneOf("lead", "active", "churned"))
            .Sample((name, tier, mobile, tags, lifecycle) =>
            {
                var ours = new Dictionary<string, object?>
                {
                    ["displayName"] = string.Join(' ', name), ["tier"] = tier, ["mobile"] = "+86" + mobile, ["email"] = $"{name[0].ToLowerInvariant()}@example.cn",
                    ["tags"] = tags.Distinct().ToList(), ["lifecycle"] = lifecycle, ["preferredLanguage"] = "zh",
                };
                var back = spec.MapIn(spec.MapOut(ours, key: "001X"));
                foreach (var field in spec.Fields.Where(f => f.Direction == FieldDirection.Both))
                {
                    var (was, now) = (ours[field.Target.Name], back.Values.GetValueOrDefault(field.Target.Name));
                    if (was is List<string> list)
                    {
                        Assert.Equal(list, now as List<string> ?? []);
                    }
                    else
                    {
                        Assert.Equal(was, now);
                    }
                }
            });
    }

    [Fact]
    public void MappedInAndOut_TheOtherSystemsValuesAreUnchanged_OnTheFieldsItOwns()
    {
        var spec = Salesforce();
        Gen.Select(Word.Array[1, 4], Gen.OneOf("A", "B", "C"), Gen.Long[13_000_000_000, 13_999_999_999], Gen.OneOf("Lead", "Customer", "Former"))
            .Sample((name, tier, mobile, stage) =>
            {
                var theirs = new Dictionary<string, string?>
                {
                    ["Id"] = "001Y", ["Name"] = string.Join(' ', name), ["Value_Tier__c"] = tier, ["MobilePhone"] = "+86" + mobile, ["Stage__c"] = stage,
                };
                var back = spec.MapOut(spec.MapIn(theirs).Values, key: "001Y");
                foreach (var field in spec.Fields.Where(f => f.Direction == FieldDirection.Both && f.Owner == FieldOwner.External && theirs.ContainsKey(f.Source!)))
                {
                    Assert.Equal(theirs[field.Source!], back[field.Source!]);
                }
            });
    }

    [Theory]
    [InlineData("salesforce-accounts.yaml")]
    [InlineData("hubspot-contacts.yaml")]
    public void TheSampleSpecsInTheDocs_AreValid(string file)
    {
        var path = Path.Combine(Repository.Root(), "docs", "samples", file);
        var spec = MappingSpec.Read(File.ReadAllText(path), yaml: true);
        Assert.True(spec.IsSuccess, string.Join("; ", spec.Error?.Fields?.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}") ?? []));
    }

    [Fact]
    public void TheHubSpotSample_NamesPeopleFamilyNameFirst_AndCompaniesByName()
    {
        var spec = MappingSpec.Read(File.ReadAllText(Path.Combine(Repository.Root(), "docs", "samples", "hubspot-contacts.yaml")), yaml: true).Value;
        var person = spec.MapIn(new Dictionary<string, string?> { ["hs_object_id"] = "51", ["firstname"] = "伟", ["lastname"] = "王", ["lifecyclestage"] = "salesqualifiedlead", ["mobilephone"] = "１３８００１３８０００" });
        Assert.True(person.Ok, string.Join("; ", person.Errors));
        Assert.Equal(("王伟", "person", "prospect", "+8613800138000", "standard"), (person.Values["displayName"], person.Values["kind"], person.Values["lifecycle"], person.Values["mobile"], person.Values["tier"]));
        var company = spec.MapIn(new Dictionary<string, string?> { ["hs_object_id"] = "52", ["company"] = "远景科技", ["switchboard_tier"] = "VIP" });
        Assert.Equal(("远景科技", "company", "vip"), (company.Values["displayName"], company.Values["kind"], company.Values["tier"]));
    }

}
