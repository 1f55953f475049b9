namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>One subscriber gained or lost: when, and why it was lost. No address, no hash: nothing ties it to a person.</summary>
public sealed class AudienceChangeEntity : ITableEntity
{
    public const string Gained = "gagne";

    public const string Lost = "perdu";

    /// <summary>The month (UTC, yyyy-MM), so that a year's report reads twelve partitions.</summary>
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Change { get; set; } = Gained;

    /// <summary>For a loss: unsubscribe, bounce, dropped, spamreport, effacement.</summary>
    public string? Reason { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>
/// The subscribers gained (a subscription confirmed) and lost (a confirmed subscriber who unsubscribes, bounces, reports
/// spam or has their data erased), kept as anonymous rows: an unsubscribed subscriber's own row is purged after
/// Retention:UnsubscribedSubscribers, but the year's count stays right.
/// </summary>
public sealed class AudienceChanges(NewsletterStorage storage, TimeProvider time)
{
    public async Task RecordAsync(string change, string? reason, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.AudienceChanges, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await table.AddEntityAsync(
            new AudienceChangeEntity
            {
                PartitionKey = Month(now),
                RowKey = string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D19}-{Guid.NewGuid():N}"),
                Change = change,
                Reason = reason,
                At = now,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A confirmed subscriber leaves the audience (suppressed for <paramref name="reason"/>): counted once, the first
    /// time, when the address was a confirmed subscriber not suppressed yet.
    /// </summary>
    public async Task RecordLossAsync(string key, string reason, SuppressionList suppressions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suppressions);
        var subscribers = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        var found = await subscribers.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, key, ["Status"], cancellationToken).ConfigureAwait(false);
        if (found.HasValue && found.Value?.Status == SubscriberStatus.Confirmed && !await suppressions.IsSuppressedAsync(key, cancellationToken).ConfigureAwait(false))
        {
            await RecordAsync(AudienceChangeEntity.Lost, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The changes between two instants.</summary>
    public async Task<IReadOnlyList<AudienceChangeEntity>> BetweenAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.AudienceChanges, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {Month(start)} and PartitionKey le {Month(end)} and At ge {start} and At lt {end}");
        var list = new List<AudienceChangeEntity>();
        await foreach (var row in TablePages.RowsAsync<AudienceChangeEntity>(table, filter, null, cancellationToken).ConfigureAwait(false))
        {
            list.Add(row);
        }

        return list;
    }

    private static string Month(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
