using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ResoSolidaire.Functions.Directory.Vocabularies;

namespace ResoSolidaire.Functions.Directory;

public enum StoreOutcome
{
    Done,
    NotFound,
    Stale,
    DuplicateSiret,
}

public sealed record StoreResult(StoreOutcome Outcome, ActorEntity? Actor = null, string? ConflictingId = null);

/// <summary>The Actors table: point reads by id, conditional writes, filtered pages and whole scans.</summary>
public sealed partial class ActorStore(StorageProvisioning storage, EmailHasher emailHasher, VocabularyStore vocabularies, TimeProvider time, ILogger<ActorStore> logger)
{
    public const string TableName = "Actors";

    /// <summary>What a list of the console shows and filters on: the rest of an actor stays in storage.</summary>
    private static readonly string[] ListColumns =
    [
        nameof(ActorEntity.Name), nameof(ActorEntity.NameKey), nameof(ActorEntity.Kind), nameof(ActorEntity.LegalStatus),
        nameof(ActorEntity.Sectors), nameof(ActorEntity.CommuneName), nameof(ActorEntity.CommuneInsee), nameof(ActorEntity.Epci),
        nameof(ActorEntity.Quartier), nameof(ActorEntity.Emails), nameof(ActorEntity.Tags), nameof(ActorEntity.TagKeys),
        nameof(ActorEntity.Newsletter), nameof(ActorEntity.ConsentDate), nameof(ActorEntity.ReviewSince),
    ];

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static bool IsId(string? id) => id is not null && IdPattern().IsMatch(id);

    public async Task<ActorEntity?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsId(id))
        {
            return null;
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<ActorEntity>(ActorEntity.PartitionOf(id), id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    public async Task<StoreResult> CreateAsync(ActorFields fields, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Siret is not null && await FindBySiretAsync(fields.Siret, exceptId: null, cancellationToken).ConfigureAwait(false) is { } other)
        {
            return new StoreResult(StoreOutcome.DuplicateSiret, ConflictingId: other);
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var id = NewId();
        var entity = new ActorEntity { PartitionKey = ActorEntity.PartitionOf(id), RowKey = id };
        entity.StampCreated(by, now);
        ActorMapping.Apply(entity, fields);
        entity.HashEmails(emailHasher);
        var response = await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        entity.ETag = response.Headers.ETag ?? default;
        entity.Timestamp = now;
        await AddTagsToTheListAsync(fields.Tags, by, cancellationToken).ConfigureAwait(false);
        return new StoreResult(StoreOutcome.Done, entity);
    }

    public async Task<StoreResult> ReplaceAsync(string id, ActorFields fields, ETag ifMatch, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var existing = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return new StoreResult(StoreOutcome.NotFound);
        }

        if (existing.ETag != ifMatch)
        {
            return new StoreResult(StoreOutcome.Stale);
        }

        if (fields.Siret is not null && fields.Siret != existing.Siret
            && await FindBySiretAsync(fields.Siret, exceptId: id, cancellationToken).ConfigureAwait(false) is { } other)
        {
            return new StoreResult(StoreOutcome.DuplicateSiret, ConflictingId: other);
        }

        ActorMapping.Apply(existing, fields);
        existing.HashEmails(emailHasher);
        existing.StampUpdated(by, time.GetUtcNow());
        existing.ReviewSince = null; // staff have looked at the entry: it is current again
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The ETag of the client goes to storage, so a write between our read and this one is caught too.
            var response = await table.UpdateEntityAsync(existing, ifMatch, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            existing.ETag = response.Headers.ETag ?? default;
            await AddTagsToTheListAsync(fields.Tags, by, cancellationToken).ConfigureAwait(false);
            return new StoreResult(StoreOutcome.Done, existing);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return new StoreResult(StoreOutcome.Stale);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return new StoreResult(StoreOutcome.NotFound);
        }
    }

    public async Task<StoreOutcome> DeleteAsync(string id, ETag? ifMatch, CancellationToken cancellationToken)
    {
        if (!IsId(id))
        {
            return StoreOutcome.NotFound;
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.DeleteEntityAsync(ActorEntity.PartitionOf(id), id, ifMatch ?? ETag.All, cancellationToken).ConfigureAwait(false);
            return response.Status == (int)HttpStatusCode.NotFound ? StoreOutcome.NotFound : StoreOutcome.Done;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return StoreOutcome.Stale;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return StoreOutcome.NotFound;
        }
    }

    /// <summary>One page of actors matching every filter given.</summary>
    /// <summary>
    /// One page of the actors whose name holds <paramref name="text"/> (case, accents and punctuation ignored): how
    /// other modules look for a structure (a partner to orient a case to, the lender of a room). A name needs no
    /// vocabulary, unlike a sector or a tag.
    /// </summary>
    public Task<ListPage<ActorEntity>> SearchByNameAsync(string text, int pageSize, ContinuationToken? continuation, CancellationToken cancellationToken) =>
        ListAsync(new ActorFilter(Search: text), DirectoryVocabularies.Seed, pageSize, continuation, cancellationToken);

    public async Task<ListPage<ActorEntity>> ListAsync(ActorFilter filter, DirectoryVocabularies vocabulary, int pageSize, ContinuationToken? continuation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var (storageFilter, localFilter) = Filters(filter, vocabulary);
        return await PagedQuery.ReadAsync(table, storageFilter, localFilter, pageSize, continuation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every actor matching the filter, with only the columns a list shows (<see cref="ListColumns"/>): the console
    /// sorts them by name and counts them. The directory holds hundreds of actors, at most some thousands.
    /// </summary>
    public async Task<IReadOnlyList<ActorEntity>> ListAllAsync(ActorFilter filter, DirectoryVocabularies vocabulary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var (storageFilter, localFilter) = Filters(filter, vocabulary);
        var found = new List<ActorEntity>();
        await foreach (var entity in table.QueryAsync<ActorEntity>(storageFilter, maxPerPage: 1000, select: ListColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (localFilter is null || localFilter(entity))
            {
                found.Add(entity);
            }
        }

        return found;
    }

    /// <summary>Every actor, optionally narrowed by a storage filter (import matching, newsletter audience, exports).</summary>
    public IAsyncEnumerable<ActorEntity> ScanAsync(string? filter, CancellationToken cancellationToken) => ScanAsync(filter, null, cancellationToken);

    /// <summary>Every actor with only the properties named in <paramref name="select"/> (all when null).</summary>
    public async IAsyncEnumerable<ActorEntity> ScanAsync(string? filter, IEnumerable<string>? select, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entity in table.QueryAsync<ActorEntity>(filter, maxPerPage: 1000, select, cancellationToken).ConfigureAwait(false))
        {
            yield return entity;
        }
    }

    /// <summary>
    /// Changes the actors that <paramref name="change"/> returns a change for (a vocabulary's rename, merge or retirement):
    /// each is merged with only the changed properties, under the version read, stamped as changed by <paramref name="by"/>.
    /// An actor saved by someone between the read and the write is read again and changed once more (the change is
    /// computed from its content, so applying it to the newer content is right); one that is still changed meanwhile
    /// is counted as missed and logged, and the same operation run again takes it.
    /// </summary>
    public async Task<(int Changed, int Missed)> RewriteAsync(string? filter, Func<ActorEntity, TableEntity?> change, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(by);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var pending = new List<(ActorEntity Actor, TableEntity Change)>();
        await foreach (var actor in ScanAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            if (change(actor) is { } changed)
            {
                pending.Add((actor, changed));
            }
        }

        int done = 0, missed = 0;
        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                if (await TryMergeAsync(table, item.Actor, item.Change, by, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref done);
                    return;
                }

                var fresh = await GetAsync(item.Actor.RowKey, ct).ConfigureAwait(false);
                if (fresh is null)
                {
                    return;
                }

                if (change(fresh) is not { } again || await TryMergeAsync(table, fresh, again, by, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref done);
                    return;
                }

                Interlocked.Increment(ref missed);
                logger.LogWarning("Actor {ActorId} changed twice during a vocabulary change: left as it is", item.Actor.RowKey);
            }).ConfigureAwait(false);
        return (done, missed);
    }

    private async Task<bool> TryMergeAsync(TableClient table, ActorEntity actor, TableEntity change, StaffMember by, CancellationToken cancellationToken)
    {
        change.PartitionKey = actor.PartitionKey;
        change.RowKey = actor.RowKey;
        change[nameof(ActorEntity.UpdatedAt)] = time.GetUtcNow();
        change[nameof(ActorEntity.UpdatedBy)] = by.Name;
        change[nameof(ActorEntity.UpdatedByObjectId)] = by.ObjectId;
        try
        {
            await table.UpdateEntityAsync(change, actor.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task<TableClient> TableAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);

    /// <summary>
    /// The filter split between storage (kind, status, territory, newsletter, review, an e-mail address searched by
    /// its keyed hash) and the app (sector, tag, name search). A term merged into the one asked for counts as it, so a
    /// filter stays right while the actors that carried the old term are being rewritten.
    /// </summary>
    public (string? Storage, Func<ActorEntity, bool>? Local) Filters(ActorFilter filter, DirectoryVocabularies vocabulary)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var email = filter.Search is { } search && EmailAddress.TryParse(search, out var address) ? emailHasher.Hash(address) : null;
        var storageFilter = StorageFilter(filter, vocabulary, email);
        return (storageFilter, LocalFilter(filter with { Search = email is null ? filter.Search : null }, vocabulary));
    }

    internal static string? StorageFilter(ActorFilter filter, DirectoryVocabularies vocabulary, string? emailHash = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var parts = new List<string>();
        if (filter.Kind is { } kind)
        {
            parts.Add("(" + string.Join(" or ", vocabulary.Kinds.CodesOf(kind).Select(k => TableClient.CreateQueryFilter($"Kind eq {k}"))) + ")");
        }

        if (filter.Status is { } status)
        {
            parts.Add(TableClient.CreateQueryFilter($"LegalStatusKey eq {TextKey.Of(status)}"));
        }

        if (filter.Epci is { } epci)
        {
            parts.Add(TableClient.CreateQueryFilter($"Epci eq {epci}"));
        }

        if (filter.Commune is { } commune)
        {
            parts.Add(TableClient.CreateQueryFilter($"CommuneInsee eq {commune}"));
        }

        if (filter.Quartier is { } quartier)
        {
            parts.Add(TableClient.CreateQueryFilter($"Quartier eq {quartier}"));
        }

        if (filter.Newsletter is { } newsletter)
        {
            parts.Add(TableClient.CreateQueryFilter($"Newsletter eq {newsletter}"));
        }

        // A property that is absent never compares: "ge" the earliest date keeps the entries that carry it.
        if (filter.Review is true)
        {
            parts.Add(TableClient.CreateQueryFilter($"ReviewSince ge {DateTimeOffset.UnixEpoch}"));
        }

        if (emailHash is not null)
        {
            parts.Add("(" + ActorEntity.EmailHashFilter(emailHash) + ")");
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    internal static Func<ActorEntity, bool>? LocalFilter(ActorFilter filter, DirectoryVocabularies vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var sectors = filter.Sector is null ? null : vocabulary.Sectors.CodesOf(filter.Sector);
        IReadOnlySet<string>? tagKeys = filter.Tag is null ? null
            : vocabulary.Tags.Find(filter.Tag) is { } tag ? vocabulary.Tags.KeysOf(tag)
            : new HashSet<string>(StringComparer.Ordinal) { TextKey.Of(filter.Tag) };
        var search = filter.Search is null ? null : TextKey.Of(filter.Search);
        var notUnderReview = filter.Review is false;
        if (sectors is null && tagKeys is null && string.IsNullOrEmpty(search) && !notUnderReview)
        {
            return null;
        }

        return entity =>
            (!notUnderReview || entity.ReviewSince is null)
            && (sectors is null || ActorEntity.SplitList(entity.Sectors).Any(sectors.Contains))
            && (tagKeys is null || ActorEntity.SplitList(entity.TagKeys).Any(tagKeys.Contains))
            && (string.IsNullOrEmpty(search) || entity.NameKey.Contains(search, StringComparison.Ordinal));
    }

    /// <summary>
    /// Adds an actor's new tags to the tag vocabulary, once the actor is saved. Should storage fail now, the actor
    /// stands as saved and the tag joins the list at its next save (the list offers tags; it does not check them).
    /// </summary>
    private async Task AddTagsToTheListAsync(IReadOnlyList<string> tags, StaffMember by, CancellationToken cancellationToken)
    {
        try
        {
            await vocabularies.AddMissingTagsAsync(tags, by, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            logger.LogWarning(ex, "New tags not added to the tag list (status {Status})", ex.Status);
        }
    }

    private async Task<string?> FindBySiretAsync(string siret, string? exceptId, CancellationToken cancellationToken)
    {
        await foreach (var entity in ScanAsync(TableClient.CreateQueryFilter($"Siret eq {siret}"), cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey != exceptId)
            {
                return entity.RowKey;
            }
        }

        return null;
    }

    [GeneratedRegex("^[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
