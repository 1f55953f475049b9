using System.Buffers.Text;

namespace ResoSolidaire.Functions.Platform.Staff;

/// <summary>One page of a staff list: the items and, when more may follow, an opaque continuation token.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? Continuation);

/// <summary>
/// Pages through a table query whose filter is partly applied here (name search, several-valued fields
/// that Table storage cannot test). The continuation token given to clients wraps the storage token of
/// the page being read and the key of the last entity returned from it, so a page can stop in the middle
/// of a storage page and the next one resumes exactly there. It is opaque: base64url of a small JSON.
/// </summary>
public static class PagedQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Storage pages read at most per request; a sparse search may return a short (even empty) page with a token.</summary>
    private const int MaxStoragePagesPerRequest = 10;

    private const int StoragePageSizeWhenFiltering = 1000;

    public static async Task<ListPage<T>> ReadAsync<T>(
        TableClient table,
        string? filter,
        Func<T, bool>? localFilter,
        int pageSize,
        ContinuationToken? continuation,
        CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        var items = new List<T>(Math.Min(pageSize, 100));
        var storageToken = continuation?.Storage;
        var after = continuation?.After;
        var storagePageSize = localFilter is null ? pageSize : StoragePageSizeWhenFiltering;
        for (var read = 0; read < MaxStoragePagesPerRequest; read++)
        {
            var pages = table.QueryAsync<T>(filter, storagePageSize, cancellationToken: cancellationToken).AsPages(storageToken, storagePageSize);
            Azure.Page<T>? page = null;
            await foreach (var first in pages.ConfigureAwait(false))
            {
                page = first;
                break;
            }

            if (page is null)
            {
                return new ListPage<T>(items, null);
            }

            var values = page.Values;
            for (var i = 0; i < values.Count; i++)
            {
                var entity = values[i];
                if (after is not null && Compare(entity, after) <= 0)
                {
                    continue;
                }

                if (localFilter is not null && !localFilter(entity))
                {
                    continue;
                }

                items.Add(entity);
                if (items.Count == pageSize)
                {
                    var lastOfPage = i == values.Count - 1;
                    var next = lastOfPage
                        ? (page.ContinuationToken is null ? null : new ContinuationToken(page.ContinuationToken, null))
                        : new ContinuationToken(storageToken, KeyOf(entity));
                    return new ListPage<T>(items, next?.Encode());
                }
            }

            if (page.ContinuationToken is null)
            {
                return new ListPage<T>(items, null);
            }

            storageToken = page.ContinuationToken;
            after = null;
        }

        return new ListPage<T>(items, new ContinuationToken(storageToken, null).Encode());
    }

    public static int? ParsePageSize(string? value, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultPageSize;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize)
        {
            return size;
        }

        error = $"La taille de page doit être un nombre entre 1 et {MaxPageSize}.";
        return null;
    }

    private static string KeyOf(ITableEntity entity) => entity.PartitionKey + "\n" + entity.RowKey;

    private static int Compare(ITableEntity entity, string after)
    {
        var separator = after.IndexOf('\n', StringComparison.Ordinal);
        var partition = separator < 0 ? after : after[..separator];
        var row = separator < 0 ? "" : after[(separator + 1)..];
        var byPartition = string.CompareOrdinal(entity.PartitionKey, partition);
        return byPartition != 0 ? byPartition : string.CompareOrdinal(entity.RowKey, row);
    }
}

/// <summary>The page a staff list asks for (?pageSize=&amp;continuation=), read from the query string with the lists' French errors.</summary>
public sealed record PageRequest(int Size, ContinuationToken? Continuation)
{
    /// <summary>The page asked for; on a bad value the error is added under its parameter's name and the page must not be read.</summary>
    public static PageRequest Parse(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        var size = PagedQuery.ParsePageSize(StaffQuery.Value(query, "pageSize"), out var sizeError);
        if (sizeError is not null)
        {
            errors["pageSize"] = [sizeError];
        }

        var continuation = ContinuationText.TryDecode(StaffQuery.Value(query, "continuation"), errors);
        return new PageRequest(size ?? PagedQuery.DefaultPageSize, continuation);
    }
}

/// <summary>How the staff lists read a query-string parameter.</summary>
public static class StaffQuery
{
    /// <summary>The parameter's value, trimmed; null when it is absent or blank.</summary>
    public static string? Value(IQueryCollection query, string name)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query[name].ToString().Trim() is { Length: > 0 } value ? value : null;
    }
}

/// <summary>Where a list resumes: the storage token of a page, and the key of the last entity already returned from it.</summary>
public sealed record ContinuationToken(string? Storage, string? After)
{
    public string Encode()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Wire(Storage, After), WireJson);
        return Base64Url.EncodeToString(json);
    }

    /// <summary>Null when there is no token; throws FormatException when it is not one of ours.</summary>
    public static ContinuationToken? Decode(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(token.Trim()), WireJson)
                ?? throw new FormatException("Empty continuation token.");
            return new ContinuationToken(wire.S, wire.A);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            throw new FormatException("Not a continuation token.", ex);
        }
    }

    private static readonly JsonSerializerOptions WireJson = new(JsonSerializerDefaults.Web);

    private sealed record Wire(string? S, string? A);
}

internal static class ContinuationText
{
    public static readonly string Invalid = "Le jeton de continuation est invalide : reprenez la liste depuis le début.";

    public static ContinuationToken? TryDecode(string? token, Dictionary<string, string[]> errors)
    {
        try
        {
            return ContinuationToken.Decode(token);
        }
        catch (FormatException)
        {
            errors["continuation"] = [Invalid];
            return null;
        }
    }
}
