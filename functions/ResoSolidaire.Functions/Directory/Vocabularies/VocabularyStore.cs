namespace ResoSolidaire.Functions.Directory.Vocabularies;

/// <summary>The directory's vocabularies: what an actor's kind, sectors and tags are chosen from.</summary>
public enum VocabularyName
{
    Kinds,
    Sectors,
    Tags,
}

/// <summary>How each vocabulary is named: in storage, in the console's addresses, and in French.</summary>
public static class VocabularyNames
{
    public static IReadOnlyList<VocabularyName> All { get; } = [VocabularyName.Kinds, VocabularyName.Sectors, VocabularyName.Tags];

    /// <summary>The PartitionKey of its terms.</summary>
    public static string Partition(VocabularyName name) => name switch
    {
        VocabularyName.Kinds => "kinds",
        VocabularyName.Sectors => "sectors",
        _ => "tags",
    };

    /// <summary>Its segment in the console's addresses.</summary>
    public static string Slug(VocabularyName name) => name switch
    {
        VocabularyName.Kinds => "types",
        VocabularyName.Sectors => "secteurs",
        _ => "etiquettes",
    };

    public static VocabularyName? FromSlug(string? slug) => All.Cast<VocabularyName?>().FirstOrDefault(n => Slug(n!.Value) == slug);

    /// <summary>« Types d'acteur », « Secteurs d'activité », « Étiquettes ».</summary>
    public static string Title(VocabularyName name) => name switch
    {
        VocabularyName.Kinds => "Types d'acteur",
        VocabularyName.Sectors => "Secteurs d'activité",
        _ => "Étiquettes",
    };

    /// <summary>One term, in a sentence: « le type », « le secteur », « l'étiquette ».</summary>
    public static string TheTerm(VocabularyName name) => name switch
    {
        VocabularyName.Kinds => "le type",
        VocabularyName.Sectors => "le secteur",
        _ => "l'étiquette",
    };

    /// <summary>The longest label a term of this vocabulary may have (a tag is stored on the actor as its label).</summary>
    public static int MaxLabelLength(VocabularyName name) => name == VocabularyName.Tags ? ActorRules.MaxTagLength : 100;

    public static Vocabulary Of(this DirectoryVocabularies vocabularies, VocabularyName name)
    {
        ArgumentNullException.ThrowIfNull(vocabularies);
        return name switch
        {
            VocabularyName.Kinds => vocabularies.Kinds,
            VocabularyName.Sectors => vocabularies.Sectors,
            _ => vocabularies.Tags,
        };
    }
}

public static class TermStates
{
    public const string Active = "active";
    public const string Retired = "retired";
    public const string Merged = "merged";
}

/// <summary>
/// A term of a vocabulary, in the DirectoryTerms table: PartitionKey the vocabulary, RowKey its code (letters,
/// digits and hyphens). Retired and merged terms stay, so that the codes old records carry keep their label.
/// </summary>
public sealed class TermEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Label { get; set; } = "";

    /// <summary>Other spellings that find the term (one per line): its former labels, the values an import mapped to it.</summary>
    public string? Synonyms { get; set; }

    public string State { get; set; } = TermStates.Active;

    /// <summary>The code of the term it was merged into.</summary>
    public string? MergedInto { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public string? CreatedByObjectId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    public string? UpdatedByObjectId { get; set; }

    public Term ToTerm() => new(RowKey, Label, ActorEntity.SplitList(Synonyms));

    public void Stamp(StaffMember by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        UpdatedAt = now;
        UpdatedBy = by.Name;
        UpdatedByObjectId = by.ObjectId;
    }
}

/// <summary>What to do with a value of a spreadsheet that a vocabulary does not know.</summary>
public enum ValueAction
{
    /// <summary>Use an existing term.</summary>
    Term,

    /// <summary>Create a term with the value as its label.</summary>
    Create,

    /// <summary>Put the value among the actor's tags instead.</summary>
    Tag,

    /// <summary>Leave it out.</summary>
    Empty,
}

/// <summary>A decision about an unknown value (<see cref="TermCode"/> when mapped to a term), remembered for the next import.</summary>
public sealed record ValueDecision(string Value, ValueAction Action, string? TermCode = null);

/// <summary>A remembered decision, in the DirectoryTerms table: PartitionKey "memory-" + the vocabulary, RowKey the value's text key.</summary>
public sealed class ValueMemoryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Value { get; set; } = "";

    public string Action { get; set; } = "";

    public string? TermCode { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    public string? UpdatedByObjectId { get; set; }
}

/// <summary>
/// The vocabularies of the directory (kinds, sectors, tags), kept by « Administration » in the console and stored in
/// the DirectoryTerms table. Each vocabulary starts from its seed: kinds and sectors from the lists the app started
/// with (<see cref="ActorKinds"/>, <see cref="Sectors"/>), tags from the tags the actors carry; the seed is read in
/// memory until the first change to the vocabulary writes it (a read never writes). Reads are
/// cached for <see cref="CacheLifetime"/> per instance (a change made here is seen at once here, elsewhere within
/// that time). Another module reads the current terms through <see cref="TermsAsync"/>.
/// </summary>
public sealed class VocabularyStore(StorageProvisioning storage, TimeProvider time, ILogger<VocabularyStore> logger) : IDisposable
{
    public const string TableName = "DirectoryTerms";

    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    /// <summary>The row that says a vocabulary was seeded (a code never starts with ~).</summary>
    private const string SeededMarker = "~seeded";

    private const string MemoryPrefix = "memory-";

    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>The vocabularies whose seed is known to be written (then it stays so).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<VocabularyName, bool> _seeded = new();
    private volatile Snapshot? _cached;

    private sealed record Snapshot(DirectoryVocabularies Value, DateTimeOffset LoadedAt);

    /// <summary>The active terms of a vocabulary, in the order they are offered: what a form, a filter or a segment chooses from.</summary>
    public async Task<IReadOnlyList<Term>> TermsAsync(VocabularyName name, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken).ConfigureAwait(false)).Of(name).All;

    /// <summary>The three vocabularies as they stand (cached <see cref="CacheLifetime"/>).</summary>
    public async Task<DirectoryVocabularies> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() - fresh.LoadedAt < CacheLifetime)
        {
            return fresh.Value;
        }

        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } loaded && time.GetUtcNow() - loaded.LoadedAt < CacheLifetime)
            {
                return loaded.Value;
            }

            var rows = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
            var value = new DirectoryVocabularies(
                Build(rows[VocabularyName.Kinds]),
                Build(rows[VocabularyName.Sectors]),
                Build(rows[VocabularyName.Tags]));
            _cached = new Snapshot(value, time.GetUtcNow());
            return value;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>Forgets the cached vocabularies: the next read sees what storage holds.</summary>
    public void Invalidate() => _cached = null;

    /// <summary>Every term of a vocabulary as stored (active, retired, merged), seeded if need be; not cached.</summary>
    public async Task<IReadOnlyList<TermEntity>> EntitiesAsync(VocabularyName name, CancellationToken cancellationToken)
    {
        var rows = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        return rows[name];
    }

    /// <summary>A stored term, for a change (the vocabulary's seed is written first, so that its terms can be changed).</summary>
    public async Task<TermEntity?> GetAsync(VocabularyName name, string code, CancellationToken cancellationToken)
    {
        if (!IsCode(code))
        {
            return null;
        }

        await EnsureSeededAsync(name, cancellationToken).ConfigureAwait(false);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<TermEntity>(VocabularyNames.Partition(name), code, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Adds a new term; false when its code was taken meanwhile.</summary>
    public async Task<bool> TryAddAsync(TermEntity term, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(term);
        await EnsureSeededAsync(NameOf(term), cancellationToken).ConfigureAwait(false);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.AddEntityAsync(term, cancellationToken).ConfigureAwait(false);
            term.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
        finally
        {
            Invalidate();
        }
    }

    /// <summary>Replaces a term under the version it was read at; false when someone changed it meanwhile.</summary>
    public async Task<bool> TryReplaceAsync(TermEntity term, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(term);
        await EnsureSeededAsync(NameOf(term), cancellationToken).ConfigureAwait(false);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(term, term.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            term.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
        finally
        {
            Invalidate();
        }
    }

    /// <summary>Deletes a term (a retired tag: tags are text on the actors, nothing else names them).</summary>
    public async Task<bool> TryDeleteAsync(TermEntity term, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(term);
        await EnsureSeededAsync(NameOf(term), cancellationToken).ConfigureAwait(false);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(term.PartitionKey, term.RowKey, term.ETag, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
        finally
        {
            Invalidate();
        }
    }

    /// <summary>
    /// A new term of <paramref name="name"/> labelled <paramref name="label"/>, with a code made from the label that no
    /// stored term (active or not) has. Not written.
    /// </summary>
    public TermEntity NewTerm(VocabularyName name, string label, IEnumerable<TermEntity> existing, StaffMember by)
    {
        ArgumentNullException.ThrowIfNull(by);
        var taken = existing.Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
        var stem = CodeOf(label);
        var code = stem;
        for (var n = 2; taken.Contains(code); n++)
        {
            code = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}");
        }

        var now = time.GetUtcNow();
        return new TermEntity
        {
            PartitionKey = VocabularyNames.Partition(name),
            RowKey = code,
            Label = label,
            CreatedAt = now,
            CreatedBy = by.Name,
            CreatedByObjectId = by.ObjectId,
            UpdatedAt = now,
            UpdatedBy = by.Name,
            UpdatedByObjectId = by.ObjectId,
        };
    }

    /// <summary>Adds the tags that the tag vocabulary does not know yet (an actor saved with a new tag): the list stays complete.</summary>
    public async Task AddMissingTagsAsync(IEnumerable<string> labels, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var tags = (await CurrentAsync(cancellationToken).ConfigureAwait(false)).Tags;
        var missing = labels.Where(l => tags.Find(l) is null).DistinctBy(TextKey.Of).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        // Written from the actors, the seed already holds the new tags (their actor is saved): nothing more to add.
        if (!_seeded.ContainsKey(VocabularyName.Tags))
        {
            await EnsureSeededAsync(VocabularyName.Tags, cancellationToken).ConfigureAwait(false);
            tags = (await CurrentAsync(cancellationToken).ConfigureAwait(false)).Tags;
            missing = missing.Where(l => tags.Find(l) is null).ToList();
        }

        var existing = await EntitiesAsync(VocabularyName.Tags, cancellationToken).ConfigureAwait(false);
        var known = existing.Select(e => TextKey.Of(e.Label)).ToHashSet(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            missing.Where(l => !known.Contains(TextKey.Of(l))),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (label, ct) => await TryAddAsync(NewTerm(VocabularyName.Tags, label, existing, by), ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The decisions staff took on unknown values of this vocabulary in earlier imports, by the value's text key.</summary>
    public async Task<IReadOnlyDictionary<string, ValueDecision>> RememberedAsync(VocabularyName name, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var remembered = new Dictionary<string, ValueDecision>(StringComparer.Ordinal);
        var partition = MemoryPrefix + VocabularyNames.Partition(name);
        await foreach (var row in table.QueryAsync<ValueMemoryEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (Enum.TryParse<ValueAction>(row.Action, out var action))
            {
                remembered[TextKey.Of(row.Value)] = new ValueDecision(row.Value, action, row.TermCode);
            }
        }

        return remembered;
    }

    /// <summary>Remembers decisions for the next import (a decision to create a term is remembered as mapping to it).</summary>
    public async Task RememberAsync(VocabularyName name, IEnumerable<ValueDecision> decisions, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(by);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var rows = decisions
            .Where(d => TextKey.Of(d.Value).Length > 0)
            .DistinctBy(d => TextKey.Of(d.Value))
            .Select(d => new ValueMemoryEntity
            {
                PartitionKey = MemoryPrefix + VocabularyNames.Partition(name),
                RowKey = KeySafe.Encode(Truncate(TextKey.Of(d.Value), 200)),
                Value = d.Value,
                Action = (d.Action == ValueAction.Create ? ValueAction.Term : d.Action).ToString(),
                TermCode = d.TermCode,
                UpdatedAt = now,
                UpdatedBy = by.Name,
                UpdatedByObjectId = by.ObjectId,
            });
        foreach (var chunk in rows.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<TableClient> TableAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);

    private static VocabularyName NameOf(TermEntity term) => VocabularyNames.All.First(n => VocabularyNames.Partition(n) == term.PartitionKey);

    /// <summary>A term's code made from its label: « Échanges réciproques (SEL) » → echanges-reciproques-sel.</summary>
    public static string CodeOf(string label)
    {
        var code = TextKey.Of(label).Replace(' ', '-');
        code = Truncate(code, 60).TrimEnd('-');
        return code.Length == 0 ? "terme" : code;
    }

    public static bool IsCode(string? code) =>
        code is { Length: > 0 and <= 70 } && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || (char.IsLetter(c) && char.IsLower(c)));

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>The vocabulary: its active terms (alphabetical, « Autre » last) and its former ones.</summary>
    private static Vocabulary Build(IReadOnlyList<TermEntity> rows)
    {
        var french = StringComparer.Create(CultureInfo.GetCultureInfo("fr-FR"), CompareOptions.IgnoreCase);
        var active = rows.Where(r => r.State == TermStates.Active)
            .OrderBy(r => r.RowKey == "autre")
            .ThenBy(r => r.Label, french)
            .Select(r => r.ToTerm())
            .ToList();
        var former = rows.Where(r => r.State != TermStates.Active)
            .Select(r => new FormerTerm(r.ToTerm(), r.State == TermStates.Merged ? r.MergedInto : null))
            .ToList();
        return new Vocabulary(active, former);
    }

    /// <summary>
    /// The terms of the three vocabularies. A vocabulary never changed is its seed, read in memory (nothing is written
    /// on a read: a page or a refused request stores nothing); the first change writes the seed (<see cref="EnsureSeededAsync"/>).
    /// </summary>
    private async Task<Dictionary<VocabularyName, IReadOnlyList<TermEntity>>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ReadAsync(table, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<VocabularyName, IReadOnlyList<TermEntity>>();
        foreach (var name in VocabularyNames.All)
        {
            var stored = rows[name];
            if (stored.Any(r => r.RowKey == SeededMarker))
            {
                _seeded[name] = true;
                result[name] = stored.Where(r => r.RowKey != SeededMarker).ToList();
                continue;
            }

            var seed = await SeedTermsAsync(name, stored, cancellationToken).ConfigureAwait(false);
            var codes = stored.Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
            result[name] = [.. stored, .. seed.Where(t => !codes.Contains(t.RowKey))];
        }

        return result;
    }

    /// <summary>
    /// Writes a vocabulary's seed before its first change (the rows of a term to rename must exist), then the marker that
    /// says it is written. Two instances seeding at once add the same rows: a row already there is left as it is.
    /// </summary>
    public async Task EnsureSeededAsync(VocabularyName name, CancellationToken cancellationToken)
    {
        if (_seeded.ContainsKey(name))
        {
            return;
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var present = new List<TermEntity>();
        await foreach (var row in table.QueryAsync<TermEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {VocabularyNames.Partition(name)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            present.Add(row);
        }

        if (!present.Any(r => r.RowKey == SeededMarker))
        {
            var terms = await SeedTermsAsync(name, present, cancellationToken).ConfigureAwait(false);
            var codes = present.Select(p => p.RowKey).ToHashSet(StringComparer.Ordinal);
            await Parallel.ForEachAsync(
                terms.Where(t => !codes.Contains(t.RowKey)),
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (term, ct) => await AddIfAbsentAsync(table, term, ct).ConfigureAwait(false)).ConfigureAwait(false);
            await AddIfAbsentAsync(table, new TermEntity { PartitionKey = VocabularyNames.Partition(name), RowKey = SeededMarker, State = TermStates.Retired, CreatedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Vocabulary {Vocabulary} written from its seed: {Terms} terms", VocabularyNames.Partition(name), terms.Count);
            Invalidate();
        }

        _seeded[name] = true;
    }

    private static async Task<Dictionary<VocabularyName, List<TermEntity>>> ReadAsync(TableClient table, CancellationToken cancellationToken)
    {
        var rows = VocabularyNames.All.ToDictionary(n => n, _ => new List<TermEntity>());
        var byPartition = VocabularyNames.All.ToDictionary(VocabularyNames.Partition, n => rows[n], StringComparer.Ordinal);
        var filter = string.Join(" or ", VocabularyNames.All.Select(n => TableClient.CreateQueryFilter($"PartitionKey eq {VocabularyNames.Partition(n)}")));
        await foreach (var row in table.QueryAsync<TermEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            byPartition[row.PartitionKey].Add(row);
        }

        return rows;
    }

    /// <summary>The starting terms of a vocabulary: the lists the app shipped with, or for tags those the actors carry.</summary>
    private async Task<List<TermEntity>> SeedTermsAsync(VocabularyName name, IReadOnlyList<TermEntity> present, CancellationToken cancellationToken)
    {
        var seeder = new StaffMember("mise en service", "app", new HashSet<string>(), IsApplication: true);
        return name switch
        {
            VocabularyName.Kinds => ActorKinds.Terms.All.Select(t => SeedTerm(name, t, seeder)).ToList(),
            VocabularyName.Sectors => Sectors.Terms.All.Select(t => SeedTerm(name, t, seeder)).ToList(),
            _ => await TagsInUseAsync(present, seeder, cancellationToken).ConfigureAwait(false),
        };
    }

    private TermEntity SeedTerm(VocabularyName name, Term term, StaffMember seeder)
    {
        var now = time.GetUtcNow();
        return new TermEntity
        {
            PartitionKey = VocabularyNames.Partition(name),
            RowKey = term.Code,
            Label = term.Label,
            Synonyms = ActorEntity.JoinList(term.Synonyms),
            CreatedAt = now,
            CreatedBy = seeder.Name,
            UpdatedAt = now,
            UpdatedBy = seeder.Name,
        };
    }

    /// <summary>The tags the actors carry, one term each (the first spelling met), for the first reading of the tag vocabulary.</summary>
    private async Task<List<TermEntity>> TagsInUseAsync(IReadOnlyList<TermEntity> present, StaffMember seeder, CancellationToken cancellationToken)
    {
        var actors = await storage.TableAsync(ActorStore.TableName, cancellationToken).ConfigureAwait(false);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var actor in actors.QueryAsync<TableEntity>(select: [nameof(ActorEntity.Tags)], maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var tag in ActorEntity.SplitList(actor.GetString(nameof(ActorEntity.Tags))))
            {
                labels.TryAdd(TextKey.Of(tag), tag);
            }
        }

        var terms = new List<TermEntity>(present);
        foreach (var label in labels.Values)
        {
            terms.Add(NewTerm(VocabularyName.Tags, label, terms, seeder));
        }

        return terms.Skip(present.Count).ToList();
    }

    private static async Task AddIfAbsentAsync(TableClient table, TermEntity term, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(term, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // Seeded by another instance at the same moment.
        }
    }
}
