namespace ResoSolidaire.Functions.Platform.Storage;

/// <summary>Deletes what a query finds in batch transactions (up to 100 rows of one partition each).</summary>
public static class TableBatches
{
    public static async Task<int> DeleteAsync<T>(TableClient table, AsyncPageable<T> rows, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var deleted = 0;
        var pending = new Dictionary<string, List<ITableEntity>>(StringComparer.Ordinal);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            if (!pending.TryGetValue(row.PartitionKey, out var batch))
            {
                pending[row.PartitionKey] = batch = [];
            }

            batch.Add(row);
            if (batch.Count == 100)
            {
                deleted += await SubmitAsync(table, batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        foreach (var batch in pending.Values.Where(b => b.Count > 0))
        {
            deleted += await SubmitAsync(table, batch, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>Deletes the given rows (any partitions), one batch per partition and hundred rows.</summary>
    public static async Task<int> DeleteAsync(TableClient table, IEnumerable<ITableEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var deleted = 0;
        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                deleted += await SubmitAsync(table, chunk, cancellationToken).ConfigureAwait(false);
            }
        }

        return deleted;
    }

    private static async Task<int> SubmitAsync(TableClient table, IReadOnlyCollection<ITableEntity> batch, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken).ConfigureAwait(false);
            return batch.Count;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // One row went meanwhile (another purge, a staff delete): delete the rest one by one.
            var deleted = 0;
            foreach (var row in batch)
            {
                var response = await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                deleted += response.Status == (int)HttpStatusCode.NotFound ? 0 : 1;
            }

            return deleted;
        }
    }

    /// <summary>A query on a table that may not exist yet (a feature creates its table on first use): nothing found.</summary>
    public static async Task<bool> ExistsAsync(TableClient table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).ConfigureAwait(false))
            {
                return true;
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
