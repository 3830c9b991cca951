using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Core.Agents;
using Switchboard.Core.Calls;
using Switchboard.Core.Customers;
using Switchboard.Core.Customers.Profiles;
using Switchboard.Core.Demo;
using Switchboard.Core.Forecasting;
using Switchboard.Core.Identification;
using Switchboard.Core.ScreenPop;
using Switchboard.Core.Telephony;

namespace Switchboard.Core;

/// <summary>Registers Switchboard's features and engines. Options are bound by the host.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>Adds every Core feature; uses <see cref="TimeProvider.System"/> unless one is registered already.</summary>
    public static IServiceCollection AddSwitchboardCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PhoneNormalizer>();
        services.TryAddScoped<CallerIdentifier>();
        services.TryAddScoped<Audit.AuditQuery>();
        services.TryAddScoped<Security.IdentityStore>();
        services.TryAddSingleton<Security.ApiKeyCache>();

        // Customers: the CRM replica.
        services.TryAddSingleton<ContactPointProfile>();
        services.TryAddScoped<CustomerService>();
        services.TryAddScoped<TicketUpdateService>();
        services.TryAddScoped<TimelineService>();
        services.AddCustomerRecords<ContactPoint, ContactPointInput, ContactPointView, ContactPointProfile>();
        services.AddCustomerRecords<Order, OrderInput, OrderView, OrderProfile>();
        services.AddCustomerRecords<Ticket, TicketInput, TicketView, TicketProfile>();
        services.AddCustomerRecords<Opportunity, OpportunityInput, OpportunityView, OpportunityProfile>();
        services.AddCustomerRecords<FollowUpTask, FollowUpTaskInput, FollowUpTaskView, FollowUpTaskProfile>();
        services.AddCustomerRecords<Interaction, InteractionInput, InteractionView, InteractionProfile>();

        // Calls: the journal (its writer loop is run by the host) and the live calls.
        services.TryAddSingleton<Persistence.SqliteWriteGate>();
        services.TryAddSingleton<CallJournal>();
        services.TryAddSingleton<CallRegistry>();
        services.TryAddSingleton<CallHistoryWriter>();

        // Screen pops: composed from the replica, shaped by the field policy, pushed by the host's notifier.
        services.TryAddScoped<ScreenPopComposer>();
        services.AddOptions<ScreenPopOptions>();
        services.TryAddSingleton<PopContextCache>();
        services.TryAddSingleton<Audit.AuditLog>();
        services.TryAddSingleton<Audit.AuditChangeCapture>();
        services.TryAddSingleton<Audit.PopReadRecovery>();

        // The outbox: written with every change (an interceptor), routed to the destinations that want it.
        services.TryAddSingleton<Outbox.OutboxSignal>();
        services.TryAddSingleton<Outbox.DestinationDirectory>();
        services.TryAddSingleton<Outbox.OutboxCapture>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<Outbox.OutboxCapture>());
        services.TryAddSingleton<Outbox.OutboxRouter>();
        services.TryAddScoped<Outbox.DestinationService>();
        services.TryAddScoped<Mapping.MappingService>();
        services.TryAddScoped<Mapping.Importer>();
        services.TryAddSingleton<Sync.MappingSpecCache>();
        services.TryAddSingleton<Sync.SyncMonitor>();
        services.TryAddScoped<Sync.SyncService>();
        services.TryAddScoped<Sync.SyncRunner>();
        services.TryAddSingleton<Sync.SyncPusher>();
        services.TryAddScoped<Dedup.DedupService>();
        services.TryAddScoped<Dedup.DuplicateSeeder>();

        // After the call: transcripts, the drafted summary (extractive unless a chat model is configured), the wrap-up.
        services.AddOptions<WrapUp.WrapUpOptions>();
        services.TryAddScoped<WrapUp.TranscriptService>();
        services.TryAddScoped<Routing.CallFactsReader>();

        // Live speech analytics (docs/speech.md): sentiment, the rules in force, the per-call listener.
        services.TryAddSingleton<Speech.ISentimentScorer>(Speech.LexiconSentimentScorer.Default);
        services.AddOptions<Speech.SpeechOptions>();
        services.TryAddSingleton<Speech.ISpeechToText>(sp =>
            string.IsNullOrWhiteSpace(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Speech.SpeechOptions>>().Value.WhisperModel)
                ? new Speech.PassThroughSpeechToText()
                : ActivatorUtilities.CreateInstance<Speech.WhisperSpeechToText>(sp));
        services.TryAddSingleton<Speech.SpeechRuleCache>();
        services.TryAddScoped<Speech.SpeechRuleService>();
        services.TryAddScoped<Speech.SpeechFirings>();
        services.TryAddSingleton<Speech.SpeechAnalytics>();
        services.AddOptions<Knowledge.KnowledgeOptions>();
        services.TryAddSingleton<Knowledge.KnowledgeBase>();
        services.TryAddScoped<Knowledge.KnowledgeService>();
        services.TryAddScoped<Knowledge.QuestionLearner>();
        services.TryAddScoped<Demo.DemoSpeech>();
        services.AddOptions<WrapUp.SummarizerOptions>();
        services.TryAddSingleton<WrapUp.ISummarizer>(sp => sp.GetService<Microsoft.Extensions.AI.IChatClient>() is { } chat
            ? ActivatorUtilities.CreateInstance<WrapUp.ChatSummarizer>(sp, chat)
            : new WrapUp.ExtractiveSummarizer());
        services.TryAddScoped<WrapUp.WrapUpService>();
        services.AddOptions<FollowUp.FollowUpOptions>();
        services.TryAddScoped<FollowUp.FollowUpService>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<Audit.AuditChangeCapture>());
        services.TryAddSingleton<PopContextInvalidation>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<PopContextInvalidation>());
        services.TryAddSingleton<Security.Viewers>();
        services.TryAddSingleton<Security.AccessGrants>();
        services.TryAddScoped<Security.CustomerAccess>();
        services.TryAddSingleton<ScreenPopDispatcher>();

        // Agents: presence, set from their desktops.
        services.TryAddSingleton<AgentPresenceBoard>();
        services.TryAddSingleton<AgentPresenceStore>();

        // Telephony sources (looked up on every event, cached briefly).
        services.AddMemoryCache();
        services.TryAddScoped<TelephonySourceService>();

        // Forecasting from the call journal (the staffing engines are pure and static).
        services.AddOptions<ForecastingOptions>();
        services.TryAddScoped<CallVolumes>();
        services.TryAddScoped<HotTopicFinder>();
        services.TryAddScoped<CallHistoryImport>();

        // Routing: the rules and the live engine of this node.
        services.TryAddSingleton<Routing.RoutingService>();
        services.TryAddSingleton<Routing.RoutingCallFollower>();

        // Demo data.
        services.TryAddScoped<DemoSeeder>();
        services.TryAddSingleton<DemoCallSimulator>();
        return services;
    }

    private static void AddCustomerRecords<TEntity, TInput, TView, TProfile>(this IServiceCollection services)
        where TEntity : CrmRecord, ICustomerOwned, new()
        where TInput : IRecordInput
        where TProfile : class, IRecordProfile<TEntity, TInput, TView>
    {
        services.TryAddSingleton<TProfile>();
        services.TryAddSingleton<IRecordProfile<TEntity, TInput, TView>>(sp => sp.GetRequiredService<TProfile>());
        services.TryAddScoped<CustomerRecordService<TEntity, TInput, TView>>();
    }
}
