namespace ResoSolidaire.Functions.Platform.Staff;

/// <summary>
/// Pages a list built in memory (small sets joined from several tables, such as cases and contact messages),
/// newest first by a sort key, with the same opaque continuation tokens as table lists: the token holds the
/// key of the last item returned, so an item added meanwhile never shifts a page.
/// </summary>
public static class MemoryPaging
{
    public static ListPage<T> Page<T>(IEnumerable<T> items, Func<T, string> sortKey, int pageSize, ContinuationToken? continuation)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(sortKey);
        var after = continuation?.After;
        var ordered = items
            .Select(item => (Item: item, Key: sortKey(item)))
            .Where(x => after is null || string.CompareOrdinal(x.Key, after) < 0)
            .OrderByDescending(x => x.Key, StringComparer.Ordinal)
            .Take(pageSize + 1)
            .ToList();
        var page = ordered.Take(pageSize).ToList();
        var next = ordered.Count > pageSize ? new ContinuationToken(null, page[^1].Key).Encode() : null;
        return new ListPage<T>(page.Select(x => x.Item).ToList(), next);
    }
}

/// <summary>Dates as staff mean them: the calendar day in Rennes.</summary>
public static class LocalDates
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Paris).DateTime);
    }

    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Paris).DateTime);

    public static string ToText(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date) ? date : null;
}
