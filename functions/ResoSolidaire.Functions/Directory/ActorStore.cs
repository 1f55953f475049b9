using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

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
public sealed partial class ActorStore(StorageProvisioning storage, EmailHasher emailHasher, TimeProvider time)
{
    public const string TableName = "Actors";


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

    public async Task<StoreResult> CreateAsync(ActorFields fields, string principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Siret is not null && await FindBySiretAsync(fields.Siret, exceptId: null, cancellationToken).ConfigureAwait(false) is { } other)
        {
            return new StoreResult(StoreOutcome.DuplicateSiret, ConflictingId: other);
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var id = NewId();
        var entity = new ActorEntity
        {
            PartitionKey = ActorEntity.PartitionOf(id),
            RowKey = id,
            CreatedAt = now,
            CreatedBy = principal,
            UpdatedAt = now,
            UpdatedBy = principal,
        };
        ActorMapping.Apply(entity, fields);
        entity.HashEmails(emailHasher);
        var response = await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        entity.ETag = response.Headers.ETag ?? default;
        entity.Timestamp = now;
        return new StoreResult(StoreOutcome.Done, entity);
    }

    public async Task<StoreResult> ReplaceAsync(string id, ActorFields fields, ETag ifMatch, string principal, CancellationToken cancellationToken)
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
        existing.UpdatedAt = time.GetUtcNow();
        existing.UpdatedBy = principal;
        existing.ReviewSince = null; // staff have looked at the entry: it is current again
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The ETag of the client goes to storage, so a write between our read and this one is caught too.
            var response = await table.UpdateEntityAsync(existing, ifMatch, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            existing.ETag = response.Headers.ETag ?? default;
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
    public async Task<ListPage<ActorEntity>> ListAsync(ActorFilter filter, int pageSize, ContinuationToken? continuation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        return await PagedQuery.ReadAsync(table, StorageFilter(filter), LocalFilter(filter), pageSize, continuation, cancellationToken).ConfigureAwait(false);
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

    public Task<TableClient> TableAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);

    internal static string? StorageFilter(ActorFilter filter)
    {
        var parts = new List<string>();
        if (filter.Kind is { } kind)
        {
            parts.Add(TableClient.CreateQueryFilter($"Kind eq {kind}"));
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

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    internal static Func<ActorEntity, bool>? LocalFilter(ActorFilter filter)
    {
        var sector = filter.Sector;
        var tag = filter.Tag is null ? null : TextKey.Of(filter.Tag);
        var search = filter.Search is null ? null : TextKey.Of(filter.Search);
        var notUnderReview = filter.Review is false;
        if (sector is null && string.IsNullOrEmpty(tag) && string.IsNullOrEmpty(search) && !notUnderReview)
        {
            return null;
        }

        return entity =>
            (!notUnderReview || entity.ReviewSince is null)
            && (sector is null || ActorEntity.SplitList(entity.Sectors).Contains(sector))
            && (string.IsNullOrEmpty(tag) || ActorEntity.SplitList(entity.TagKeys).Contains(tag))
            && (string.IsNullOrEmpty(search) || entity.NameKey.Contains(search, StringComparison.Ordinal));
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
