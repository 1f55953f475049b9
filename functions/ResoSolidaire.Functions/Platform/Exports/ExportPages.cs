using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace ResoSolidaire.Functions.Platform.Exports;

/// <summary>Reads a table query one storage page (up to 1,000 entities) at a time and maps it to rows.</summary>
internal static class ExportPages
{
    public const int PageSize = 1000;

    public static async IAsyncEnumerable<IReadOnlyList<object?[]>> ReadAsync<T>(
        TableClient table,
        string? filter,
        Func<T, bool>? keep,
        Func<T, object?[]> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var pages = table.QueryAsync<T>(filter, PageSize, cancellationToken: cancellationToken).AsPages(pageSizeHint: PageSize).GetAsyncEnumerator(cancellationToken);
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
                    // The feature creates its table on first use: nothing to export yet.
                    more = false;
                }

                if (!more)
                {
                    yield break;
                }

                var values = pages.Current.Values;
                var rows = new List<object?[]>(values.Count);
                foreach (var entity in values)
                {
                    if (keep is null || keep(entity))
                    {
                        rows.Add(map(entity));
                    }
                }

                yield return rows;
            }
        }
    }

    /// <summary>Joins storage filters with "and"; null when there is none.</summary>
    public static string? And(IEnumerable<string?> parts)
    {
        var list = parts.Where(p => !string.IsNullOrEmpty(p)).ToList();
        return list.Count == 0 ? null : string.Join(" and ", list.Select(p => "(" + p + ")"));
    }

    public static string? Value(Microsoft.AspNetCore.Http.IQueryCollection query, string name) =>
        query[name].ToString().Trim() is { Length: > 0 } v ? v : null;
}
