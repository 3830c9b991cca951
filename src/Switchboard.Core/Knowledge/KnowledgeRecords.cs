namespace Switchboard.Core.Knowledge;

/// <summary>Where an article is in its life: drafted (by a person or learnt from calls), published (searched and suggested), retired.</summary>
public enum ArticleStatus { Draft, Published, Retired }

/// <summary>A knowledge base article: the ways customers ask, the answer, and who owns it.</summary>
public sealed class KnowledgeArticle
{
    public const int MaxQuestions = 200;
    public const int MaxQuestionLength = 300;
    public const int MaxAnswer = 8_000;

    public Guid Id { get; set; }

    public string Title { get; set; } = "";

    public string Answer { get; set; } = "";

    /// <summary>Question variants as a JSON array of strings.</summary>
    public string Questions { get; set; } = "[]";

    /// <summary>Tags as a JSON array of strings.</summary>
    public string Tags { get; set; } = "[]";

    /// <summary>BCP 47 (<c>zh-CN</c>, <c>en</c>).</summary>
    public string Language { get; set; } = "";

    /// <summary>Who keeps it current (a user name), empty for a learnt draft awaiting a reviewer.</summary>
    public string Owner { get; set; } = "";

    public ArticleStatus Status { get; set; }

    /// <summary><c>manual</c>, or <c>learned</c> when drafted from a topic of customers' questions.</summary>
    public string Origin { get; set; } = "manual";

    /// <summary>The topic a learnt draft came from.</summary>
    public Guid? TopicId { get; set; }

    /// <summary>Agents' verdicts on it when suggested.</summary>
    public int Helped { get; set; }

    public int NotHelped { get; set; }

    public long Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>An agent's verdict on a suggested article during a call.</summary>
public sealed class ArticleFeedback
{
    public Guid Id { get; set; }

    public Guid ArticleId { get; set; }

    public string? CallId { get; set; }

    public string Agent { get; set; } = "";

    public bool Helped { get; set; }

    public DateTime At { get; set; }
}

/// <summary>A question a customer asked on a call, what the knowledge base had for it, and what the agent answered.</summary>
public sealed class CustomerQuestion
{
    public Guid Id { get; set; }

    public string CallId { get; set; } = "";

    public string Text { get; set; } = "";

    public string Language { get; set; } = "";

    /// <summary>The customer's region (for hot topics by region), empty when unknown.</summary>
    public string Region { get; set; } = "";

    public DateTime AskedAt { get; set; }

    /// <summary>The best article found when it was asked, and its score.</summary>
    public Guid? ArticleId { get; set; }

    public double Score { get; set; }

    /// <summary>What the agent said next (up to two segments).</summary>
    public string Answer { get; set; } = "";

    public Guid? TopicId { get; set; }
}

/// <summary>Customers' questions grouped by their words: a topic, its words, and the draft it became.</summary>
public sealed class QuestionTopic
{
    public Guid Id { get; set; }

    /// <summary>The question closest to the topic's words.</summary>
    public string Label { get; set; } = "";

    public string Language { get; set; } = "";

    /// <summary>The topic's word counts (top 40) as a JSON object.</summary>
    public string Terms { get; set; } = "{}";

    public int Questions { get; set; }

    public DateTime FirstAskedAt { get; set; }

    public DateTime LastAskedAt { get; set; }

    /// <summary>The draft article learnt from it, once made.</summary>
    public Guid? DraftArticleId { get; set; }
}
