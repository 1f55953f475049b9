using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>
/// The addresses nobody may mail: unsubscribed, bounced, reported as spam. Keyed by address hash, so it
/// covers subscribers and directory actors alike, and survives the erasure of the address.
/// Each suppression also leaves a row in a chronological partition (RowKey: time, then key), so that the
/// dispatcher's "suppressed since" check before every batch is a key-range read of the last minutes, not
/// a scan of the whole list (SuppressedAt is not a key: filtering on it reads every row).
/// </summary>
public sealed class SuppressionList(NewsletterStorage storage, TimeProvider time)
{
    /// <summary>The partition of the chronological rows; the suppressions themselves are in <see cref="SuppressionEntity.Partition"/>.</summary>
    public const string ChronologyPartition = "chronologie";

    public async Task SuppressAsync(string key, string reason, string source, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();

        // The chronological row first: if the second write fails, the caller sees the error and tries again.
        await table.UpsertEntityAsync(new TableEntity(ChronologyPartition, ChronologyRow(now, key)), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new SuppressionEntity { RowKey = key, Reason = reason, Source = source, SuppressedAt = now },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task LiftAsync(string key, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<SuppressionEntity>(SuppressionEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (found.HasValue)
        {
            await table.DeleteEntityAsync(ChronologyPartition, ChronologyRow(found.Value!.SuppressedAt, key), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await table.DeleteEntityAsync(SuppressionEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The suppression of an address (why, from where, when), or null when the newsletter may reach it.</summary>
    public async Task<SuppressionEntity?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Suppressions, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<SuppressionEntity>(SuppressionEntity.Partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
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
        if (since is not { } from)
        {
            var all = TableClient.CreateQueryFilter($"PartitionKey eq {SuppressionEntity.Partition}");
            await foreach (var entity in table.QueryAsync<TableEntity>(all, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                yield return entity.RowKey;
            }

            yield break;
        }

        var recent = TableClient.CreateQueryFilter($"PartitionKey eq {ChronologyPartition} and RowKey ge {ChronologyRow(from, "")}");
        await foreach (var entity in table.QueryAsync<TableEntity>(recent, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return entity.RowKey[(entity.RowKey.IndexOf('-', StringComparison.Ordinal) + 1)..];
        }
    }

    /// <summary>UTC ticks, fixed width, so that the rows sort by time.</summary>
    private static string ChronologyRow(DateTimeOffset at, string key) =>
        at.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + key;
}
