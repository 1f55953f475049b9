using System.Runtime.CompilerServices;

namespace ResoSolidaire.Functions.Platform.Storage;

/// <summary>Reads a table query one storage page at a time; a table not created yet reads as empty.</summary>
public static class TablePages
{
    public const int PageSize = 1000;

    public static async IAsyncEnumerable<IReadOnlyList<T>> ReadAsync<T>(
        TableClient table,
        string? filter,
        IEnumerable<string>? select,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        var pages = table.QueryAsync<T>(filter, PageSize, select, cancellationToken).AsPages(pageSizeHint: PageSize).GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await pages.MoveNextAsync().ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
                {
                    // Its module creates the table on first use: nothing stored yet.
                    more = false;
                }

                if (!more)
                {
                    yield break;
                }

                yield return pages.Current.Values;
            }
        }
    }

    /// <summary>Every row of the query, page after page.</summary>
    public static async IAsyncEnumerable<T> RowsAsync<T>(
        TableClient table,
        string? filter,
        IEnumerable<string>? select,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        await foreach (var page in ReadAsync<T>(table, filter, select, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in page)
            {
                yield return row;
            }
        }
    }
}
