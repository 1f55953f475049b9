using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>What every stored submission carries: its reference, its consent record and whether its mails are queued.</summary>
public interface ISubmissionEntity : ITableEntity
{
    string Reference { get; }

    DateTimeOffset CreatedAt { get; }

    /// <summary>Set once the acknowledgement and the staff notification are in the outbox; the sweep looks for rows where it is not.</summary>
    bool MailsQueued { get; }
}

/// <summary>Marks a submission whose content was already received: same form, same fingerprint, same window.</summary>
public sealed class DuplicateMarkerEntity : ITableEntity
{
    public const string RowPrefix = "dedup-";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What the ledger did with a submission.</summary>
public sealed record StoreResult(string Reference, bool Duplicate);

/// <summary>
/// Keeps the submissions of one form in one table partition, next to their duplicate markers, so that a
/// submission and its marker are written in one transaction: either both exist or neither does.
/// </summary>
public sealed class SubmissionLedger(StorageProvisioning storage, IOptions<FormsOptions> options, TimeProvider time)
{
    public const string Partition = "submission";

    private readonly FormsOptions _options = options.Value;
    private readonly byte[] _key = Encoding.UTF8.GetBytes("fingerprint:" + options.Value.ClientHashKey);

    /// <summary>A keyed hash of the normalised content: equal for the same submission, meaningless without the key.</summary>
    public string Fingerprint(string form, IEnumerable<string?> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var canonical = new StringBuilder(form);
        foreach (var part in parts)
        {
            canonical.Append('\u001f').Append(part?.ToUpperInvariant());
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>The reference of the same submission received within the duplicate window, if any.</summary>
    public async Task<string?> FindDuplicateAsync(string tableName, string fingerprint, CancellationToken cancellationToken)
    {
        var table = await TableAsync(tableName, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(_options.DuplicateWindowMinutes);
        // One range read covers the markers of this fingerprint in the current and the previous window.
        var prefix = $"{DuplicateMarkerEntity.RowPrefix}{fingerprint}-";
        var after = MarkerKey(fingerprint, Bucket(now) - 1);
        var query = table.QueryAsync<DuplicateMarkerEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {after} and RowKey lt {prefix + "~"}"),
            cancellationToken: cancellationToken);
        await foreach (var marker in query.ConfigureAwait(false))
        {
            if (now - marker.CreatedAt <= window)
            {
                return marker.Reference;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the submission and its duplicate marker together. When the same submission won the race,
    /// nothing is written and its reference is returned.
    /// </summary>
    public async Task<StoreResult> StoreAsync(string tableName, ISubmissionEntity submission, string fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var table = await TableAsync(tableName, cancellationToken).ConfigureAwait(false);
        submission.PartitionKey = Partition;
        submission.RowKey = submission.Reference;
        var marker = new DuplicateMarkerEntity
        {
            PartitionKey = Partition,
            RowKey = MarkerKey(fingerprint, Bucket(submission.CreatedAt)),
            Reference = submission.Reference,
            CreatedAt = submission.CreatedAt,
        };
        try
        {
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, submission), new TableTransactionAction(TableTransactionActionType.Add, marker)],
                cancellationToken).ConfigureAwait(false);
            return new StoreResult(submission.Reference, false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            var existing = await table.GetEntityIfExistsAsync<DuplicateMarkerEntity>(Partition, marker.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing is { HasValue: true, Value: { } first })
            {
                // Our own marker when the SDK retried a transaction whose first answer was lost: not a duplicate.
                return new StoreResult(first.Reference, !string.Equals(first.Reference, submission.Reference, StringComparison.Ordinal));
            }

            throw;
        }
    }

    /// <summary>Records that the submission's mails are in the outbox.</summary>
    public async Task MarkMailsQueuedAsync(string tableName, string reference, CancellationToken cancellationToken)
    {
        var table = await TableAsync(tableName, cancellationToken).ConfigureAwait(false);
        var update = new TableEntity(Partition, reference) { ["MailsQueued"] = true };
        await table.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Submissions older than <paramref name="olderThan"/> whose mails were never queued (the worker stopped in between).</summary>
    public async Task<IReadOnlyList<T>> UnmailedAsync<T>(string tableName, TimeSpan olderThan, CancellationToken cancellationToken)
        where T : class, ISubmissionEntity, new()
    {
        var table = await TableAsync(tableName, cancellationToken).ConfigureAwait(false);
        var before = time.GetUtcNow() - olderThan;
        var found = new List<T>();
        var query = table.QueryAsync<T>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and MailsQueued eq {false} and CreatedAt lt {before}"),
            cancellationToken: cancellationToken);
        await foreach (var entity in query.ConfigureAwait(false))
        {
            found.Add(entity);
        }

        return found;
    }

    public async Task<T?> GetAsync<T>(string tableName, string reference, CancellationToken cancellationToken)
        where T : class, ISubmissionEntity, new()
    {
        var table = await TableAsync(tableName, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<T>(Partition, KeySafe.Encode(reference), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    private long Bucket(DateTimeOffset at) => at.UtcTicks / TimeSpan.FromMinutes(_options.DuplicateWindowMinutes).Ticks;

    // Buckets are written with a fixed width so that row keys sort as the buckets do.
    private static string MarkerKey(string fingerprint, long bucket) =>
        string.Create(CultureInfo.InvariantCulture, $"{DuplicateMarkerEntity.RowPrefix}{fingerprint}-{bucket:D12}");

    private Task<TableClient> TableAsync(string tableName, CancellationToken cancellationToken) => storage.TableAsync(tableName, cancellationToken);
}
