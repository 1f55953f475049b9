namespace ResoSolidaire.Functions.Platform.Exports;

/// <summary>Dates as the exports write them: Paris wall-clock time for Excel, ISO 8601 in UTC for machines.</summary>
public static class ExportTime
{
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateTime ToParis(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris).DateTime;

    public static DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Paris.GetUtcOffset(local));
    }

    /// <summary>dd/MM/yyyy HH:mm in Europe/Paris, as French Excel reads a date and time.</summary>
    public static string French(DateTimeOffset instant) => ToParis(instant).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string French(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 in UTC, to the second.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Parses yyyy-MM-dd as stored in some entities (agenda, next actions); null when absent or malformed.</summary>
    public static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
