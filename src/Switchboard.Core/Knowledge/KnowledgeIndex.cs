using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Switchboard.Core.Speech;

namespace Switchboard.Core.Knowledge;

/// <summary>What the index keeps of a published article: its questions, title and answer, language, and the agents' verdicts.</summary>
public sealed record IndexedArticle(Guid Id, string Title, string Answer, IReadOnlyList<string> Questions, string Language, int Helped, int NotHelped);

/// <summary>An article found for a query: its score and the question variant that matched best.</summary>
public sealed record ArticleMatch(Guid Id, double Score, string? Question);

/// <summary>
/// The knowledge base's search: Lucene.Net with BM25, in memory (rebuilt from the store at start, kept current on
/// every change). Each question variant is a document of its own and the title with the answer another; an
/// article's score is its best variants' (weighted by rank) plus a third of its answer's (variants say how customers
/// ask, answers add the words of the subject), a question folded equal to a variant wins outright, and the agents' verdicts move an
/// article a little (a smoothed share of "helped" among verdicts). Thread-safe.
/// </summary>
public sealed class KnowledgeIndex : IDisposable
{
    private const string IdField = "id";
    private const string KindField = "kind";
    private const string TextField = "text";
    private const string QuestionField = "q";
    private readonly RAMDirectory _directory = new();
    private readonly SpeechAnalyzer _analyzer = new();
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly System.Threading.Lock _gate = new();
    // Both maps are replaced whole, never changed in place: a search reads them without the lock.
    private Dictionary<string, Guid[]> _exact = new(StringComparer.Ordinal);
    private Dictionary<Guid, IndexedArticle> _articles = [];

    public KnowledgeIndex()
    {
        var config = new IndexWriterConfig(SpeechAnalyzer.Version, _analyzer) { Similarity = new BM25Similarity() };
        _writer = new IndexWriter(_directory, config);
        _searchers = new SearcherManager(_writer, true, new Bm25Searchers());
    }

    public int Count => _articles.Count;

    /// <summary>Replaces the whole index with these articles.</summary>
    public void Load(IEnumerable<IndexedArticle> articles)
    {
        lock (_gate)
        {
            _writer.DeleteAll();
            var loaded = new Dictionary<Guid, IndexedArticle>();
            foreach (var article in articles)
            {
                AddDocuments(article);
                loaded[article.Id] = article;
            }
            _writer.Commit();
            _searchers.MaybeRefreshBlocking();
            (_articles, _exact) = (loaded, Exact(loaded.Values));
        }
    }

    /// <summary>Adds or replaces one article (a published one; <see cref="Remove"/> takes drafts and retired ones out).</summary>
    public void Upsert(IndexedArticle article)
    {
        lock (_gate)
        {
            _writer.DeleteDocuments(new Term(IdField, article.Id.ToString()));
            AddDocuments(article);
            _searchers.MaybeRefreshBlocking();
            var articles = new Dictionary<Guid, IndexedArticle>(_articles) { [article.Id] = article };
            (_articles, _exact) = (articles, Exact(articles.Values));
        }
    }

    public void Remove(Guid id)
    {
        lock (_gate)
        {
            if (!_articles.ContainsKey(id))
            {
                return;
            }
            _writer.DeleteDocuments(new Term(IdField, id.ToString()));
            _searchers.MaybeRefreshBlocking();
            var articles = new Dictionary<Guid, IndexedArticle>(_articles);
            articles.Remove(id);
            (_articles, _exact) = (articles, Exact(articles.Values));
        }
    }

    /// <summary>The best <paramref name="top"/> articles for a question, best first (empty when nothing matches).</summary>
    public IReadOnlyList<ArticleMatch> Search(string question, int top = 3, string? language = null)
    {
        var terms = _analyzer.Terms(question).Distinct(StringComparer.Ordinal).Take(64).ToList();
        if (terms.Count == 0)
        {
            return [];
        }
        var query = new BooleanQuery();
        foreach (var term in terms)
        {
            query.Add(new TermQuery(new Term(TextField, term)), Occur.SHOULD);
        }
        var searcher = _searchers.Acquire();
        try
        {
            var hits = searcher.Search(query, 200).ScoreDocs;
            // Hits come best first: an article's variant score is its best five variants' scores weighted 1, 1/2 … 1/5
            // (several variants alike say more than one; chosen on the held-out sets of docs/quality.md), its best
            // variant the one shown.
            var best = new Dictionary<Guid, (double Variant, int Variants, double Answer, string? Question)>();
            foreach (var hit in hits)
            {
                var document = searcher.Doc(hit.Doc);
                var id = Guid.Parse(document.Get(IdField, System.Globalization.CultureInfo.InvariantCulture));
                var (variant, variants, answer, matched) = best.GetValueOrDefault(id);
                if (document.Get(KindField, System.Globalization.CultureInfo.InvariantCulture) == "q")
                {
                    if (variants < 5)
                    {
                        variant += hit.Score / (variants + 1);
                        matched ??= document.Get(QuestionField, System.Globalization.CultureInfo.InvariantCulture);
                        variants++;
                    }
                }
                else
                {
                    answer = Math.Max(answer, hit.Score);
                }
                best[id] = (variant, variants, answer, matched);
            }
            var exact = _exact.GetValueOrDefault(TextFold.Fold(question)) ?? [];
            var articles = _articles;
            return best.Where(b => articles.ContainsKey(b.Key) && (language is null || Same(articles[b.Key].Language, language)))
                .Select(b =>
                {
                    var article = articles[b.Key];
                    var score = b.Value.Variant + b.Value.Answer / 3 + (exact.Contains(b.Key) ? 100 : 0);
                    // Agents' verdicts: ±15% at most, smoothed so that a few verdicts move little.
                    score *= 1 + 0.15 * (article.Helped - article.NotHelped) / (article.Helped + article.NotHelped + 5.0);
                    return new ArticleMatch(b.Key, Math.Round(score, 4), b.Value.Question);
                })
                .OrderByDescending(m => m.Score).ThenBy(m => m.Id).Take(top).ToList();
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>The article as indexed (for suggestions' titles).</summary>
    public IndexedArticle? Find(Guid id) => _articles.GetValueOrDefault(id);

    private static bool Same(string a, string b) => string.Equals(a.Split('-')[0], b.Split('-')[0], StringComparison.OrdinalIgnoreCase);

    private void AddDocuments(IndexedArticle article)
    {
        var id = article.Id.ToString();
        foreach (var question in article.Questions)
        {
            _writer.AddDocument(new Document
            {
                new StringField(IdField, id, Field.Store.YES), new StringField(KindField, "q", Field.Store.YES),
                new TextField(TextField, question, Field.Store.NO), new StoredField(QuestionField, question),
            });
        }
        _writer.AddDocument(new Document
        {
            new StringField(IdField, id, Field.Store.YES), new StringField(KindField, "a", Field.Store.YES),
            new TextField(TextField, article.Title + "\n" + article.Answer, Field.Store.NO),
        });
    }

    private static Dictionary<string, Guid[]> Exact(IEnumerable<IndexedArticle> articles) =>
        articles.SelectMany(a => a.Questions.Select(q => (Question: TextFold.Fold(q), a.Id)))
            .GroupBy(x => x.Question, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Id).Distinct().ToArray(), StringComparer.Ordinal);

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }

    private sealed class Bm25Searchers : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity() };
    }
}
