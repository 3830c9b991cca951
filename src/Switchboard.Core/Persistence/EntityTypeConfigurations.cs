using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Core.Calls;
using Switchboard.Core.Customers;
using Switchboard.Core.Identification;
using Switchboard.Core.Telephony;

namespace Switchboard.Core.Persistence;

internal static class CrmRecordMapping
{
    /// <summary>Key, concurrency token and timestamps shared by every record.</summary>
    public static void MapRecord<T>(this EntityTypeBuilder<T> builder) where T : CrmRecord
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Version).IsConcurrencyToken();
    }
}

internal sealed class CustomerEntityTypeConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.DisplayName).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(e => e.NameKey).HasMaxLength(Limits.Name).IsRequired();
        builder.Property(e => e.Region).HasMaxLength(Limits.Code);
        builder.Property(e => e.PreferredLanguage).HasMaxLength(Limits.Language);
        builder.Property(e => e.OwnerAgentId).HasMaxLength(Limits.Code);
        builder.Property(e => e.OwnerTeam).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.NameKey);
        builder.HasIndex(e => e.CompanyId);
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CompanyId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(e => e.ContactPoints).WithOne().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactPointEntityTypeConfiguration : IEntityTypeConfiguration<ContactPoint>
{
    public void Configure(EntityTypeBuilder<ContactPoint> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.Raw).HasMaxLength(Limits.ContactRaw).IsRequired();
        builder.Property(e => e.E164).HasMaxLength(Limits.E164);
        builder.Property(e => e.ReversedDigits).HasMaxLength(PhoneDigits.MaxLength);
        builder.Property(e => e.Email).HasMaxLength(Limits.ContactRaw);
        builder.Property(e => e.Label).HasMaxLength(Limits.Code);
        // The hot path of caller identification: E.164 -> customer.
        builder.HasIndex(e => e.E164);
        builder.HasIndex(e => e.ReversedDigits);
        builder.HasIndex(e => e.Email);
        builder.HasIndex(e => e.CustomerId);
    }
}

internal sealed class OrderEntityTypeConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.Number).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(e => e.Currency).HasMaxLength(3).IsRequired();
        builder.HasIndex(e => e.Number).IsUnique();
        builder.HasIndex(e => new { e.CustomerId, e.PlacedAt });
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketEntityTypeConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.Number).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(e => e.Subject).HasMaxLength(Limits.Subject).IsRequired();
        builder.Property(e => e.Category).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.Number).IsUnique();
        builder.HasIndex(e => new { e.CustomerId, e.Status });
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(e => e.Updates).WithOne().HasForeignKey(e => e.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketUpdateEntityTypeConfiguration : IEntityTypeConfiguration<TicketUpdate>
{
    public void Configure(EntityTypeBuilder<TicketUpdate> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.Author).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(e => e.Body).HasMaxLength(Limits.Body).IsRequired();
        builder.HasIndex(e => new { e.TicketId, e.CreatedAt });
    }
}

internal sealed class OpportunityEntityTypeConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.Title).HasMaxLength(Limits.Subject).IsRequired();
        builder.Property(e => e.Currency).HasMaxLength(3).IsRequired();
        builder.Property(e => e.OwnerAgentId).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.CustomerId);
        builder.HasIndex(e => new { e.OwnerAgentId, e.Stage });
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FollowUpTaskEntityTypeConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.Title).HasMaxLength(Limits.Subject).IsRequired();
        builder.Property(e => e.AssigneeAgentId).HasMaxLength(Limits.Code);
        builder.Property(e => e.AssigneeTeam).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.CustomerId);
        builder.HasIndex(e => new { e.AssigneeAgentId, e.Status, e.DueAt });
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InteractionEntityTypeConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.AgentId).HasMaxLength(Limits.Code);
        builder.Property(e => e.CallId).HasMaxLength(Limits.CallId);
        builder.Property(e => e.Summary).HasMaxLength(Limits.Body);
        builder.Property(e => e.Queue).HasMaxLength(Limits.Code);
        builder.Property(e => e.Disposition).HasMaxLength(Limits.Code);
        builder.HasIndex(e => new { e.CustomerId, e.StartedAt });
        builder.HasIndex(e => e.CallId);
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExternalIdEntityTypeConfiguration : IEntityTypeConfiguration<ExternalId>
{
    public void Configure(EntityTypeBuilder<ExternalId> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.System).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(e => e.Key).HasMaxLength(Limits.ExternalKey).IsRequired();
        builder.HasIndex(e => new { e.EntityType, e.System, e.Key }).IsUnique();
        // Ids are GUIDv7 and unique across record types, so the entity id alone finds a record's external ids.
        builder.HasIndex(e => e.EntityId);
    }
}

internal sealed class CallJournalEntryEntityTypeConfiguration : IEntityTypeConfiguration<CallJournalEntry>
{
    public void Configure(EntityTypeBuilder<CallJournalEntry> builder)
    {
        builder.ToTable("CallJournal");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Source).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(e => e.SourceCallId).HasMaxLength(Limits.CallId).IsRequired();
        builder.Property(e => e.EventKey).HasMaxLength(Limits.CallId + Limits.Code + 16).IsRequired();
        builder.Property(e => e.From).HasMaxLength(Limits.Code);
        builder.Property(e => e.To).HasMaxLength(Limits.Code);
        builder.Property(e => e.Queue).HasMaxLength(Limits.Code);
        builder.Property(e => e.AgentId).HasMaxLength(Limits.Code);
        builder.Property(e => e.TransferTo).HasMaxLength(Limits.Code);
        // A duplicate delivery is stored once (INSERT ... ON CONFLICT DO NOTHING).
        builder.HasIndex(e => new { e.Source, e.EventKey }).IsUnique();
        builder.HasIndex(e => new { e.Source, e.SourceCallId });
        builder.HasIndex(e => e.ReceivedAt);
    }
}

internal sealed class TelephonySourceEntityTypeConfiguration : IEntityTypeConfiguration<TelephonySource>
{
    public void Configure(EntityTypeBuilder<TelephonySource> builder)
    {
        builder.MapRecord();
        builder.Property(e => e.Name).HasMaxLength(Limits.Code).IsRequired();
        builder.Property(e => e.TokenHash).HasMaxLength(64).IsRequired();
        builder.Property(e => e.SigningSecret).HasMaxLength(64).IsRequired();
        builder.Property(e => e.DefaultQueue).HasMaxLength(Limits.Code);
        builder.Property(e => e.Account).HasMaxLength(Limits.Code);
        builder.Property(e => e.Endpoint).HasMaxLength(Limits.Code);
        builder.HasIndex(e => new { e.Kind, e.Account });
        // A small map, always read whole: one JSON text column on every provider.
        builder.Property(e => e.Extensions).HasConversion(
                v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
                v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(v, (System.Text.Json.JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (hash, e) => HashCode.Combine(hash, e.Key, e.Value)),
                    v => new Dictionary<string, string>(v)))
            .IsRequired();
        builder.HasIndex(e => e.Name).IsUnique();
        builder.HasIndex(e => e.TokenHash).IsUnique();
    }
}

internal sealed class CallerChoiceEntityTypeConfiguration : IEntityTypeConfiguration<CallerChoice>
{
    public void Configure(EntityTypeBuilder<CallerChoice> builder)
    {
        builder.HasKey(e => e.E164);
        builder.Property(e => e.E164).HasMaxLength(Limits.E164);
        builder.Property(e => e.ChosenBy).HasMaxLength(Limits.Code);
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportedCallVolumeEntityTypeConfiguration : IEntityTypeConfiguration<Forecasting.ImportedCallVolume>
{
    public void Configure(EntityTypeBuilder<Forecasting.ImportedCallVolume> builder)
    {
        builder.ToTable("ImportedCallVolumes");
        builder.HasKey(e => new { e.Queue, e.Start });
        builder.Property(e => e.Queue).HasMaxLength(Limits.Code);
    }
}

internal sealed class ForecastDriverEntityTypeConfiguration : IEntityTypeConfiguration<Forecasting.ForecastDriver>
{
    public void Configure(EntityTypeBuilder<Forecasting.ForecastDriver> builder)
    {
        builder.ToTable("ForecastDrivers");
        builder.HasKey(e => new { e.Name, e.Day });
        builder.Property(e => e.Name).HasMaxLength(Limits.Code);
    }
}

internal sealed class RoutingConfigurationRecordEntityTypeConfiguration : IEntityTypeConfiguration<Routing.RoutingConfigurationRecord>
{
    public void Configure(EntityTypeBuilder<Routing.RoutingConfigurationRecord> builder)
    {
        builder.ToTable("RoutingConfigurations");
        builder.HasKey(e => e.Version);
        builder.Property(e => e.Version).ValueGeneratedNever();
    }
}

internal sealed class RoutedCallRecordEntityTypeConfiguration : IEntityTypeConfiguration<Routing.RoutedCallRecord>
{
    public void Configure(EntityTypeBuilder<Routing.RoutedCallRecord> builder)
    {
        builder.ToTable("RoutedCalls");
        builder.HasKey(e => e.CallId);
        builder.Property(e => e.CallId).HasMaxLength(200);
        builder.Property(e => e.Tier).HasMaxLength(Limits.Code);
    }
}

internal sealed class AgentPresenceRecordEntityTypeConfiguration : IEntityTypeConfiguration<Agents.AgentPresenceRecord>
{
    public void Configure(EntityTypeBuilder<Agents.AgentPresenceRecord> builder)
    {
        builder.ToTable("AgentPresences");
        builder.HasKey(e => e.AgentId);
        builder.Property(e => e.AgentId).HasMaxLength(Limits.Code);
        builder.Property(e => e.SetBy).HasMaxLength(16);
    }
}

internal sealed class AuditEntryEntityTypeConfiguration : IEntityTypeConfiguration<Audit.AuditEntry>
{
    public void Configure(EntityTypeBuilder<Audit.AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.Actor).HasMaxLength(Limits.Code);
        builder.Property(e => e.Role).HasMaxLength(32);
        builder.Property(e => e.RecordType).HasMaxLength(32);
        builder.Property(e => e.RecordId).HasMaxLength(200);
        builder.Property(e => e.CallId).HasMaxLength(200);
        builder.Property(e => e.Mac).HasMaxLength(64);
        builder.HasIndex(e => e.CustomerId);
        builder.HasIndex(e => e.Actor);
        builder.HasIndex(e => e.CallId);
        builder.HasIndex(e => e.At);
    }
}

internal sealed class UserAccountEntityTypeConfiguration : IEntityTypeConfiguration<Security.UserAccount>
{
    public void Configure(EntityTypeBuilder<Security.UserAccount> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.Name).IsUnique();
        builder.Property(e => e.PasswordHash).HasMaxLength(200);
    }
}

internal sealed class ApiKeyRecordEntityTypeConfiguration : IEntityTypeConfiguration<Security.ApiKeyRecord>
{
    public void Configure(EntityTypeBuilder<Security.ApiKeyRecord> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.Name);
        builder.Property(e => e.KeyHash).HasMaxLength(64);
        builder.HasIndex(e => e.KeyHash).IsUnique();
        builder.Property(e => e.Hint).HasMaxLength(8);
    }
}

internal sealed class DataProtectionKeyRecordEntityTypeConfiguration : IEntityTypeConfiguration<Security.DataProtectionKeyRecord>
{
    public void Configure(EntityTypeBuilder<Security.DataProtectionKeyRecord> builder)
    {
        builder.ToTable("DataProtectionKeys");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.FriendlyName).HasMaxLength(200);
    }
}

internal sealed class OutboxMessageEntityTypeConfiguration : IEntityTypeConfiguration<Outbox.OutboxMessage>
{
    public void Configure(EntityTypeBuilder<Outbox.OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Type).HasMaxLength(Limits.Code);
        builder.Property(e => e.RecordType).HasMaxLength(32);
        builder.Property(e => e.OrderKey).HasMaxLength(Limits.Code);
        builder.Property(e => e.Actor).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.RoutedAt); // the router's "not routed yet" (a partial index would do; both providers take this)
        builder.HasIndex(e => e.OccurredAt);
    }
}

internal sealed class OutboxDeliveryEntityTypeConfiguration : IEntityTypeConfiguration<Outbox.OutboxDelivery>
{
    public void Configure(EntityTypeBuilder<Outbox.OutboxDelivery> builder)
    {
        builder.ToTable("OutboxDeliveries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.OrderKey).HasMaxLength(Limits.Code);
        builder.Property(e => e.LastError).HasMaxLength(500);
        builder.HasIndex(e => new { e.DestinationId, e.Status, e.MessageId });
        builder.HasIndex(e => new { e.DestinationId, e.MessageId }).IsUnique(); // a message reaches a destination once, however often it is routed
        builder.HasOne(e => e.Message).WithMany().HasForeignKey(e => e.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DestinationEntityTypeConfiguration : IEntityTypeConfiguration<Outbox.Destination>
{
    public void Configure(EntityTypeBuilder<Outbox.Destination> builder)
    {
        builder.ToTable("Destinations");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.Name).IsUnique();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(Limits.Code);
        builder.Property(e => e.Url).HasMaxLength(2000);
        builder.Property(e => e.BackupUrl).HasMaxLength(2000);
        builder.Property(e => e.Events).HasMaxLength(1000);
        builder.Property(e => e.Secret).HasMaxLength(200);
        builder.Property(e => e.AuthScheme).HasConversion<string>().HasMaxLength(Limits.Code);
        builder.Property(e => e.Credential).HasMaxLength(4000);
        builder.Property(e => e.Routes).HasMaxLength(400_000);
        builder.Property(e => e.Version).IsConcurrencyToken();
    }
}

internal sealed class DeliveryAlertEntityTypeConfiguration : IEntityTypeConfiguration<Outbox.DeliveryAlert>
{
    public void Configure(EntityTypeBuilder<Outbox.DeliveryAlert> builder)
    {
        builder.ToTable("DeliveryAlerts");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Kind).HasMaxLength(Limits.Code);
        builder.Property(e => e.Channel).HasConversion<string>().HasMaxLength(Limits.Code);
        builder.Property(e => e.Detail).HasMaxLength(1000);
        builder.HasIndex(e => e.At);
    }
}

internal sealed class TranscriptSegmentEntityTypeConfiguration : IEntityTypeConfiguration<WrapUp.TranscriptSegment>
{
    public void Configure(EntityTypeBuilder<WrapUp.TranscriptSegment> builder)
    {
        builder.ToTable("TranscriptSegments");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.CallId).HasMaxLength(Limits.CallId);
        builder.Property(e => e.SegmentId).HasMaxLength(Limits.Code);
        builder.Property(e => e.Text).HasMaxLength(WrapUp.TranscriptService.MaxText);
        builder.Property(e => e.Language).HasMaxLength(Limits.Language);
        builder.HasIndex(e => new { e.CallId, e.SegmentId }).IsUnique();
    }
}

internal sealed class SpeechRuleSetVersionEntityTypeConfiguration : IEntityTypeConfiguration<Speech.SpeechRuleSetVersion>
{
    public void Configure(EntityTypeBuilder<Speech.SpeechRuleSetVersion> builder)
    {
        builder.ToTable("SpeechRuleSets");
        builder.HasKey(e => e.Version);
        builder.Property(e => e.Version).ValueGeneratedNever();
        builder.Property(e => e.SavedBy).HasMaxLength(Limits.Code);
    }
}

internal sealed class RuleFiringEntityTypeConfiguration : IEntityTypeConfiguration<Speech.RuleFiring>
{
    public void Configure(EntityTypeBuilder<Speech.RuleFiring> builder)
    {
        builder.ToTable("RuleFirings");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.CallId).HasMaxLength(Limits.CallId);
        builder.Property(e => e.RuleId).HasMaxLength(Limits.Code);
        builder.Property(e => e.Agent).HasMaxLength(Limits.Code);
        builder.Property(e => e.Actions).HasMaxLength(200);
        builder.HasIndex(e => e.CallId);
        builder.HasIndex(e => new { e.RuleId, e.FiredAt });
    }
}

internal sealed class KnowledgeArticleEntityTypeConfiguration : IEntityTypeConfiguration<Knowledge.KnowledgeArticle>
{
    public void Configure(EntityTypeBuilder<Knowledge.KnowledgeArticle> builder)
    {
        builder.ToTable("KnowledgeArticles");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Title).HasMaxLength(Limits.Name);
        builder.Property(e => e.Answer).HasMaxLength(Knowledge.KnowledgeArticle.MaxAnswer);
        builder.Property(e => e.Language).HasMaxLength(Limits.Language);
        builder.Property(e => e.Owner).HasMaxLength(Limits.Code);
        builder.Property(e => e.Origin).HasMaxLength(16);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasIndex(e => new { e.Status, e.UpdatedAt });
        builder.HasIndex(e => e.TopicId);
    }
}

internal sealed class ArticleFeedbackEntityTypeConfiguration : IEntityTypeConfiguration<Knowledge.ArticleFeedback>
{
    public void Configure(EntityTypeBuilder<Knowledge.ArticleFeedback> builder)
    {
        builder.ToTable("ArticleFeedback");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.CallId).HasMaxLength(Limits.CallId);
        builder.Property(e => e.Agent).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.ArticleId);
    }
}

internal sealed class CustomerQuestionEntityTypeConfiguration : IEntityTypeConfiguration<Knowledge.CustomerQuestion>
{
    public void Configure(EntityTypeBuilder<Knowledge.CustomerQuestion> builder)
    {
        builder.ToTable("CustomerQuestions");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.CallId).HasMaxLength(Limits.CallId);
        builder.Property(e => e.Text).HasMaxLength(WrapUp.TranscriptService.MaxText);
        builder.Property(e => e.Answer).HasMaxLength(2 * WrapUp.TranscriptService.MaxText);
        builder.Property(e => e.Language).HasMaxLength(Limits.Language);
        builder.Property(e => e.Region).HasMaxLength(Limits.Name);
        builder.HasIndex(e => new { e.TopicId, e.AskedAt });
        builder.HasIndex(e => e.AskedAt);
    }
}

internal sealed class QuestionTopicEntityTypeConfiguration : IEntityTypeConfiguration<Knowledge.QuestionTopic>
{
    public void Configure(EntityTypeBuilder<Knowledge.QuestionTopic> builder)
    {
        builder.ToTable("QuestionTopics");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Label).HasMaxLength(WrapUp.TranscriptService.MaxText);
        builder.Property(e => e.Language).HasMaxLength(Limits.Language);
    }
}

internal sealed class CallTagEntityTypeConfiguration : IEntityTypeConfiguration<Speech.CallTag>
{
    public void Configure(EntityTypeBuilder<Speech.CallTag> builder)
    {
        builder.ToTable("CallTags");
        builder.HasKey(e => new { e.CallId, e.Tag });
        builder.Property(e => e.CallId).HasMaxLength(Limits.CallId);
        builder.Property(e => e.Tag).HasMaxLength(Limits.Tag);
        builder.Property(e => e.RuleId).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.Tag);
    }
}

internal sealed class FollowUpRuleSetEntityTypeConfiguration : IEntityTypeConfiguration<FollowUp.FollowUpRuleSet>
{
    public void Configure(EntityTypeBuilder<FollowUp.FollowUpRuleSet> builder)
    {
        builder.ToTable("FollowUpRuleSets");
        builder.HasKey(e => e.Version);
        builder.Property(e => e.Version).ValueGeneratedNever();
        builder.Property(e => e.SavedBy).HasMaxLength(Limits.Code);
    }
}

internal sealed class MappingVersionEntityTypeConfiguration : IEntityTypeConfiguration<Mapping.MappingVersion>
{
    public void Configure(EntityTypeBuilder<Mapping.MappingVersion> builder)
    {
        builder.ToTable("MappingVersions");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Name).HasMaxLength(Limits.Code);
        builder.HasIndex(e => new { e.Name, e.Version }).IsUnique();
        builder.Property(e => e.Format).HasMaxLength(8);
        builder.Property(e => e.Document).HasMaxLength(Mapping.SpecReader.MaxBytes);
        builder.Property(e => e.CreatedBy).HasMaxLength(Limits.Code);
    }
}

internal sealed class QuarantinedRowEntityTypeConfiguration : IEntityTypeConfiguration<Mapping.QuarantinedRow>
{
    public void Configure(EntityTypeBuilder<Mapping.QuarantinedRow> builder)
    {
        builder.ToTable("ImportQuarantine");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Mapping).HasMaxLength(Limits.Code + 16);
        builder.Property(e => e.File).HasMaxLength(500);
        builder.Property(e => e.Key).HasMaxLength(200);
        builder.Property(e => e.Reasons).HasMaxLength(20_000);
        builder.Property(e => e.Raw).HasMaxLength(8_000);
        builder.HasIndex(e => new { e.RunId, e.Line });
        builder.HasIndex(e => new { e.RunId, e.Key }); // a sync's quarantine, by record (kept once per version)
    }
}

internal sealed class SyncConnectionEntityTypeConfiguration : IEntityTypeConfiguration<Sync.SyncConnection>
{
    public void Configure(EntityTypeBuilder<Sync.SyncConnection> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Name).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.Name).IsUnique();
        builder.Property(e => e.Vendor).HasConversion<string>().HasMaxLength(Limits.Code);
        builder.Property(e => e.Object).HasMaxLength(80);
        builder.Property(e => e.Mapping).HasMaxLength(Limits.Code);
        builder.Property(e => e.OurIdField).HasMaxLength(80);
        builder.Property(e => e.ModifiedField).HasMaxLength(80);
        builder.Property(e => e.LastError).HasMaxLength(500);
        builder.HasIndex(e => e.DestinationId).IsUnique();
        builder.HasOne<Outbox.Destination>().WithMany().HasForeignKey(e => e.DestinationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncStateEntityTypeConfiguration : IEntityTypeConfiguration<Sync.SyncState>
{
    public void Configure(EntityTypeBuilder<Sync.SyncState> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Key).HasMaxLength(Limits.ExternalKey);
        builder.Property(e => e.Shadow).HasMaxLength(64_000);
        // No foreign key to the customer: a customer deleted here keeps its link until a pushed delete (or a pull) settles it.
        builder.HasIndex(e => new { e.ConnectionId, e.Key }).IsUnique();
        builder.HasIndex(e => new { e.ConnectionId, e.CustomerId }).IsUnique();
        builder.HasOne<Sync.SyncConnection>().WithMany().HasForeignKey(e => e.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncEchoEntityTypeConfiguration : IEntityTypeConfiguration<Sync.SyncEcho>
{
    public void Configure(EntityTypeBuilder<Sync.SyncEcho> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Field).HasMaxLength(Limits.Code);
        builder.Property(e => e.Value).HasMaxLength(8_000);
        builder.HasIndex(e => new { e.ConnectionId, e.CustomerId });
        builder.HasIndex(e => new { e.ConnectionId, e.At });
        builder.HasOne<Sync.SyncConnection>().WithMany().HasForeignKey(e => e.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncConflictEntityTypeConfiguration : IEntityTypeConfiguration<Sync.SyncConflict>
{
    public void Configure(EntityTypeBuilder<Sync.SyncConflict> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Key).HasMaxLength(Limits.ExternalKey);
        builder.Property(e => e.Field).HasMaxLength(Limits.Code);
        builder.Property(e => e.Shadow).HasMaxLength(8_000);
        builder.Property(e => e.Local).HasMaxLength(8_000);
        builder.Property(e => e.Incoming).HasMaxLength(8_000);
        builder.Property(e => e.Rule).HasMaxLength(32);
        builder.Property(e => e.Winner).HasMaxLength(16);
        builder.HasIndex(e => new { e.ConnectionId, e.Id });
        builder.HasIndex(e => e.CustomerId);
        builder.HasOne<Sync.SyncConnection>().WithMany().HasForeignKey(e => e.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DuplicateCandidateEntityTypeConfiguration : IEntityTypeConfiguration<Dedup.DuplicateCandidate>
{
    public void Configure(EntityTypeBuilder<Dedup.DuplicateCandidate> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Decision).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Weights).HasMaxLength(2_000);
        builder.Property(e => e.DecidedBy).HasMaxLength(Limits.Code);
        builder.HasIndex(e => new { e.FirstId, e.SecondId }).IsUnique();
        builder.HasIndex(e => new { e.Status, e.Id });
    }
}

internal sealed class CustomerMergeEntityTypeConfiguration : IEntityTypeConfiguration<Dedup.CustomerMerge>
{
    public void Configure(EntityTypeBuilder<Dedup.CustomerMerge> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Merged).HasMaxLength(64_000);
        builder.Property(e => e.SurvivorBefore).HasMaxLength(64_000);
        builder.Property(e => e.By).HasMaxLength(Limits.Code);
        builder.Property(e => e.UndoneBy).HasMaxLength(Limits.Code);
        builder.HasIndex(e => e.SurvivorId);
        builder.HasIndex(e => e.MergedId);
        builder.HasIndex(e => e.At);
    }
}
