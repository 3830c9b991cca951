using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Calls;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Telephony;

namespace Switchboard.Core.Persistence;

/// <summary>
/// The one EF Core model of Switchboard. Each store provider has a thin subclass in Switchboard.Data that
/// owns its migrations (docs/adr/0002); at run time the chosen subclass is registered as this type.
/// </summary>
public class SwitchboardDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<ContactPoint> ContactPoints => Set<ContactPoint>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketUpdate> TicketUpdates => Set<TicketUpdate>();
    public DbSet<Opportunity> Opportunities => Set<Opportunity>();
    public DbSet<FollowUpTask> FollowUpTasks => Set<FollowUpTask>();
    public DbSet<Interaction> Interactions => Set<Interaction>();
    public DbSet<ExternalId> ExternalIds => Set<ExternalId>();
    public DbSet<CallJournalEntry> CallJournal => Set<CallJournalEntry>();
    public DbSet<TelephonySource> TelephonySources => Set<TelephonySource>();
    public DbSet<CallerChoice> CallerChoices => Set<CallerChoice>();
    public DbSet<Forecasting.ImportedCallVolume> ImportedCallVolumes => Set<Forecasting.ImportedCallVolume>();
    public DbSet<Forecasting.ForecastDriver> ForecastDrivers => Set<Forecasting.ForecastDriver>();
    public DbSet<Routing.RoutingConfigurationRecord> RoutingConfigurations => Set<Routing.RoutingConfigurationRecord>();
    public DbSet<Routing.RoutedCallRecord> RoutedCalls => Set<Routing.RoutedCallRecord>();
    public DbSet<Agents.AgentPresenceRecord> AgentPresences => Set<Agents.AgentPresenceRecord>();
    public DbSet<Audit.AuditEntry> AuditLog => Set<Audit.AuditEntry>();
    public DbSet<Security.UserAccount> Users => Set<Security.UserAccount>();
    public DbSet<Security.ApiKeyRecord> ApiKeys => Set<Security.ApiKeyRecord>();
    public DbSet<Security.DataProtectionKeyRecord> DataProtectionKeys => Set<Security.DataProtectionKeyRecord>();
    public DbSet<Outbox.OutboxMessage> OutboxMessages => Set<Outbox.OutboxMessage>();
    public DbSet<Outbox.OutboxDelivery> OutboxDeliveries => Set<Outbox.OutboxDelivery>();
    public DbSet<Outbox.Destination> Destinations => Set<Outbox.Destination>();

    public DbSet<Outbox.DeliveryAlert> DeliveryAlerts => Set<Outbox.DeliveryAlert>();

    public DbSet<Mapping.MappingVersion> MappingVersions => Set<Mapping.MappingVersion>();

    public DbSet<Mapping.QuarantinedRow> Quarantine => Set<Mapping.QuarantinedRow>();
    public DbSet<Sync.SyncConnection> SyncConnections => Set<Sync.SyncConnection>();
    public DbSet<Sync.SyncState> SyncStates => Set<Sync.SyncState>();
    public DbSet<Sync.SyncEcho> SyncEchoes => Set<Sync.SyncEcho>();
    public DbSet<Sync.SyncConflict> SyncConflicts => Set<Sync.SyncConflict>();
    public DbSet<Dedup.DuplicateCandidate> DuplicateCandidates => Set<Dedup.DuplicateCandidate>();
    public DbSet<Dedup.CustomerMerge> CustomerMerges => Set<Dedup.CustomerMerge>();
    public DbSet<WrapUp.TranscriptSegment> TranscriptSegments => Set<WrapUp.TranscriptSegment>();
    public DbSet<FollowUp.FollowUpRuleSet> FollowUpRuleSets => Set<FollowUp.FollowUpRuleSet>();
    public DbSet<Speech.SpeechRuleSetVersion> SpeechRuleSets => Set<Speech.SpeechRuleSetVersion>();
    public DbSet<Speech.RuleFiring> RuleFirings => Set<Speech.RuleFiring>();
    public DbSet<Speech.CallTag> CallTags => Set<Speech.CallTag>();
    public DbSet<Knowledge.KnowledgeArticle> KnowledgeArticles => Set<Knowledge.KnowledgeArticle>();
    public DbSet<Knowledge.ArticleFeedback> ArticleFeedback => Set<Knowledge.ArticleFeedback>();
    public DbSet<Knowledge.CustomerQuestion> CustomerQuestions => Set<Knowledge.CustomerQuestion>();
    public DbSet<Knowledge.QuestionTopic> QuestionTopics => Set<Knowledge.QuestionTopic>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL, stable when members are added or reordered.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SwitchboardDbContext).Assembly);
}
