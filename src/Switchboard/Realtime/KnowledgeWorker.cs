using Microsoft.Extensions.Options;
using Switchboard.Core.Knowledge;
using Switchboard.Core.Speech;

namespace Switchboard.Realtime;

/// <summary>
/// Loads jieba's dictionary and the knowledge base's index when the server starts (not on the first call's words),
/// then runs the learner every <c>Knowledge:LearnEveryMinutes</c>: questions into topics, topics into drafts.
/// </summary>
internal sealed partial class KnowledgeWorker(KnowledgeBase knowledge, IServiceScopeFactory scopes, IOptions<KnowledgeOptions> options, TimeProvider time,
    ILogger<KnowledgeWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            JiebaWordSegmenter.Warm();
            await knowledge.CurrentAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Failed(logger, e, "load");
        }
        if (options.Value.LearnEveryMinutes == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.LearnEveryMinutes), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var learnt = await scope.ServiceProvider.GetRequiredService<QuestionLearner>().LearnAsync(stoppingToken);
                Log.Learnt(logger, learnt.Grouped, learnt.NewTopics, learnt.Drafts.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Failed(logger, e, "learn");
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1811, Level = LogLevel.Information, Message = "Knowledge learner grouped {Questions} questions ({Topics} new topics), drafted {Drafts} articles")]
        public static partial void Learnt(ILogger logger, int questions, int topics, int drafts);

        [LoggerMessage(EventId = 1812, Level = LogLevel.Error, Message = "The knowledge base could not {Step}")]
        public static partial void Failed(ILogger logger, Exception exception, string step);
    }
}
