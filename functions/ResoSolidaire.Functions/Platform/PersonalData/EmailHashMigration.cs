using Microsoft.Extensions.Hosting;

namespace ResoSolidaire.Functions.Platform.PersonalData;

/// <summary>
/// A store whose rows written before the keyed hashes existed must be given them, so that access and erasure,
/// which find records by hash only, reach them too. Each row's address is parsed (EmailAddress) and hashed;
/// nothing is matched as text. Idempotent: a row that has its hash is left alone.
/// </summary>
public interface IEmailHashMigration
{
    string Name { get; }

    /// <summary>Gives the keyed hash to the rows that lack it; returns how many rows were updated.</summary>
    Task<int> HashMissingAsync(CancellationToken cancellationToken);
}

public static class EmailHashMigrations
{
    /// <summary>Writes a migrated row under the ETag it was read with; a row changed or deleted meanwhile is skipped (its writer hashed it).</summary>
    public static async Task<int> UpdateAsync(TableClient table, ITableEntity row, TableUpdateMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, mode, cancellationToken).ConfigureAwait(false);
            return 1;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return 0;
        }
    }

    /// <summary>
    /// The rows matching <paramref name="filter"/> that hold an address in <paramref name="emailProperty"/> and no
    /// <paramref name="hashProperty"/> get the hash of the parsed address (merged, so nothing else changes).
    /// </summary>
    public static async Task<int> HashColumnAsync(TableClient table, string filter, string emailProperty, string hashProperty, EmailHasher hasher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(hasher);
        var rows = await RowsAsync(table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", emailProperty, hashProperty], cancellationToken: cancellationToken)).ConfigureAwait(false);
        var migrated = 0;
        foreach (var row in rows.Where(r => string.IsNullOrEmpty(r.GetString(hashProperty))))
        {
            if (hasher.HashOrNull(row.GetString(emailProperty)) is { } hash)
            {
                var patch = new TableEntity(row.PartitionKey, row.RowKey) { [hashProperty] = hash, ETag = row.ETag };
                migrated += await UpdateAsync(table, patch, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
        }

        return migrated;
    }

    /// <summary>A query on a table that does not exist yet finds nothing to migrate.</summary>
    public static async Task<List<T>> RowsAsync<T>(AsyncPageable<T> rows)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = new List<T>();
        try
        {
            await foreach (var row in rows.ConfigureAwait(false))
            {
                list.Add(row);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // No table, no legacy row.
        }

        return list;
    }
}

/// <summary>
/// Runs every <see cref="IEmailHashMigration"/> once when the app starts, and logs the counts (never an address).
/// Nothing is deployed yet; this brings local data written by earlier builds in line, and costs a scan per store
/// on each start (the stores are small) until it is removed.
/// </summary>
public sealed class EmailHashMigrationService(IEnumerable<IPersonalDataStore> stores, ILogger<EmailHashMigrationService> logger) : BackgroundService
{
    public async Task<IReadOnlyDictionary<string, int>> RunAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var migration in stores.OfType<IEmailHashMigration>())
        {
            counts[migration.Name] = await migration.HashMissingAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Email hash migration: {Store} {Count} row(s) given the keyed hash of their address", migration.Name, counts[migration.Name]);
        }

        return counts;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Email hash migration failed; it runs again at the next start");
        }
    }
}
