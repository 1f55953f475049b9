using System.Runtime.CompilerServices;

namespace ResoSolidaire.Functions.Platform.Exports;

/// <summary>Reads a table query one storage page (up to 1,000 entities) at a time and maps it to rows.</summary>
internal static class ExportPages
{
    public const int PageSize = TablePages.PageSize;

    public static async IAsyncEnumerable<IReadOnlyList<object?[]>> ReadAsync<T>(
        TableClient table,
        string? filter,
        Func<T, bool>? keep,
        Func<T, object?[]> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(map);
        await foreach (var page in TablePages.ReadAsync<T>(table, filter, null, cancellationToken).ConfigureAwait(false))
        {
            var rows = new List<object?[]>(page.Count);
            foreach (var entity in page)
            {
                if (keep is null || keep(entity))
                {
                    rows.Add(map(entity));
                }
            }

            yield return rows;
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
