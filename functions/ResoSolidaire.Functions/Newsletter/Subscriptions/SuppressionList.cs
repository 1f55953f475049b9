using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>
/// The addresses nobody may mail: unsubscribed, bounced, reported as spam. Keyed by address hash, so it
/// covers subscribers and directory actors alike, and survives the erasure of the address.
/// </summary>
public sealed class SuppressionList(NewsletterStorage storage, TimeProvider time)
{
    public async Task SuppressAsync(string key, string reason, string source, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new SuppressionEntity { RowKey = key, Reason = reason, Source = source, SuppressedAt = time.GetUtcNow() },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task LiftAsync(string key, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(SuppressionEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsSuppressedAsync(string key, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<SuppressionEntity>(SuppressionEntity.Partition, key, ["Reason"], cancellationToken).ConfigureAwait(false);
        return found.HasValue;
    }

    public async Task<HashSet<string>> LoadAsync(CancellationToken cancellationToken) =>
        await LoadSinceAsync(null, cancellationToken).ConfigureAwait(false);

    /// <summary>The keys suppressed since <paramref name="since"/> (all of them when null).</summary>
    public async Task<HashSet<string>> LoadSinceAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in KeysAsync(since, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>The same keys as <see cref="LoadSinceAsync"/>, held compactly (audiences and dispatches).</summary>
    public async Task<KeySet> LoadKeysAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var keys = new KeySet();
        await foreach (var key in KeysAsync(since, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        return keys;
    }

    private async IAsyncEnumerable<string> KeysAsync(DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        var filter = since is { } from
            ? TableClient.CreateQueryFilter($"PartitionKey eq {SuppressionEntity.Partition} and SuppressedAt ge {from}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {SuppressionEntity.Partition}");
        await foreach (var entity in table.QueryAsync<SuppressionEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return entity.RowKey;
        }
    }
}
