using System.Runtime.CompilerServices;

namespace ResoSolidaire.Functions.Platform.Audit;

public static class AuditActions
{
    public const string Export = "export";
    public const string Access = "acces";
    public const string Erasure = "effacement";
    public const string Purge = "purge";

    /// <summary>Staff stopped the newsletter for an address, at the person's request.</summary>
    public const string Unsubscribe = "desinscription";
}

/// <summary>
/// One entry of the audit log: who did what, when, on which dataset, with which filters, over how many rows.
/// It never holds an email address: a request about a person is recorded by the hash of the address.
/// Partition: the month (UTC, yyyy-MM); row: inverted ticks, so a month reads newest first.
/// </summary>
public sealed class AuditEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Who: the person's display name (or a script's application name, or « minuteur »).</summary>
    public string Principal { get; set; } = "";

    /// <summary>Their Entra object id: stays true when a name changes. Null for the timer.</summary>
    public string? PrincipalObjectId { get; set; }

    public string Action { get; set; } = "";

    public string? Dataset { get; set; }

    public string? Format { get; set; }

    /// <summary>The filters as a JSON object.</summary>
    public string Filters { get; set; } = "{}";

    public int Rows { get; set; }

    /// <summary>EmailHasher.Hash of the address an access or erasure request was about.</summary>
    public string? SubjectHash { get; set; }

    public bool Completed { get; set; } = true;
}

public sealed record AuditRecord(string Principal, string Action, string? Dataset, string? Format, IReadOnlyDictionary<string, string> Filters, int Rows, string? SubjectHash = null, bool Completed = true)
{
    /// <summary>The Entra object id of the staff member who did it (see <see cref="StaffMember.ObjectId"/>).</summary>
    public string? PrincipalObjectId { get; init; }

    /// <summary>An act of a signed-in staff member: their display name and object id.</summary>
    public static AuditRecord By(StaffMember member, string action, IReadOnlyDictionary<string, string> filters, int rows, string? subjectHash = null)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new AuditRecord(member.Name, action, null, null, filters, rows, subjectHash) { PrincipalObjectId = member.ObjectId };
    }
}

/// <summary>The audit log of exports, access and erasure requests, and retention purges.</summary>
public sealed class AuditLog(StorageProvisioning storage, TimeProvider time)
{
    public const string TableName = "AuditLog";


    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await table.AddEntityAsync(
            new AuditEntity
            {
                PartitionKey = Month(now),
                RowKey = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks:D19}-{Guid.NewGuid():N}"),
                At = now,
                Principal = record.Principal,
                PrincipalObjectId = record.PrincipalObjectId,
                Action = record.Action,
                Dataset = record.Dataset,
                Format = record.Format,
                Filters = JsonSerializer.Serialize(record.Filters),
                Rows = record.Rows,
                SubjectHash = record.SubjectHash,
                Completed = record.Completed,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Entries between two instants (either open), page by page, newest month first.</summary>
    public async IAsyncEnumerable<IReadOnlyList<AuditEntity>> PagesAsync(DateTimeOffset? from, DateTimeOffset? to, string? action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var parts = new List<string>();
        if (from is { } start)
        {
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey ge {Month(start)} and At ge {start}"));
        }

        if (to is { } end)
        {
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey le {Month(end)} and At lt {end}"));
        }

        if (action is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Action eq {action}"));
        }

        var filter = parts.Count == 0 ? null : string.Join(" and ", parts);
        await foreach (var page in table.QueryAsync<AuditEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
        {
            yield return page.Values;
        }
    }

    /// <summary>
    /// The latest entries of one action, newest first: month by month backwards from this one (a partition is a
    /// month, its rows newest first), over at most <paramref name="months"/> months.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntity>> LatestAsync(string action, int count, int months, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var latest = new List<AuditEntity>();
        var month = time.GetUtcNow();
        for (var i = 0; i < months && latest.Count < count; i++, month = month.AddMonths(-1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Month(month)} and Action eq {action}");
            await foreach (var entry in table.QueryAsync<AuditEntity>(filter, maxPerPage: count, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                latest.Add(entry);
                if (latest.Count == count)
                {
                    break;
                }
            }
        }

        return latest;
    }

    /// <summary>Deletes the entries older than <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {Month(before)} and At lt {before}");
        return await TableBatches.DeleteAsync(table, table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntity>> AboutAsync(string subjectHash, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<AuditEntity>();
        await foreach (var entry in table.QueryAsync<AuditEntity>(TableClient.CreateQueryFilter($"SubjectHash eq {subjectHash}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(entry);
        }

        return list;
    }

    private static string Month(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);
}
