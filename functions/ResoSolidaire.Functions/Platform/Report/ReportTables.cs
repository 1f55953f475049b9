namespace ResoSolidaire.Functions.Platform.Report;

/// <summary>The arithmetic every module's figures share: counts by label, medians, months in French.</summary>
public static class ReportTables
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>The label of a value that was not given (no sector, no commune...).</summary>
    public const string NotGiven = "Non renseigné";

    /// <summary>
    /// One row per label with its count in each column; rows in <paramref name="order"/> when given (labels it does
    /// not name come after, most frequent first), otherwise most frequent first then alphabetical.
    /// </summary>
    public static IReadOnlyList<ReportRow> Rows(IEnumerable<(string Label, int Column)> items, int columns, IReadOnlyList<string>? order = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var counts = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (label, column) in items)
        {
            if (!counts.TryGetValue(label, out var row))
            {
                counts[label] = row = new double[columns];
            }

            row[column]++;
        }

        var known = order ?? [];
        var rank = known.Select((label, index) => (label, index)).ToDictionary(x => x.label, x => x.index, StringComparer.Ordinal);
        var labels = counts.Keys
            .OrderBy(l => rank.GetValueOrDefault(l, int.MaxValue))
            .ThenByDescending(l => counts[l].Sum())
            .ThenBy(l => l, StringComparer.Create(French, CompareOptions.IgnoreCase));
        return [.. labels.Select(l => new ReportRow(l, [.. counts[l].Select(v => (double?)v)]))];
    }

    /// <summary>A table of one count per label.</summary>
    public static ReportTable Count(string key, string title, string labelHeader, string column, IEnumerable<string> labels, ReportChart chart = ReportChart.None, IReadOnlyList<string>? order = null) =>
        new(key, title, labelHeader, [column], Rows(labels.Select(l => (l, 0)), 1, order), chart);

    /// <summary>The rows of every month of the period, in order, even those with nothing (a line needs them).</summary>
    public static IReadOnlyList<ReportRow> PerMonth(ReportPeriod period, IEnumerable<DateOnly> days)
    {
        ArgumentNullException.ThrowIfNull(period);
        var counts = days.GroupBy(d => (d.Year, d.Month)).ToDictionary(g => g.Key, g => g.Count());
        return [.. period.Months().Select(m => new ReportRow(MonthLabel(m.Year, m.Month), [counts.GetValueOrDefault(m)]))];
    }

    /// <summary>« janvier 2026 ».</summary>
    public static string MonthLabel(int year, int month) => new DateOnly(year, month, 1).ToString("MMMM yyyy", French);

    /// <summary>The median, or null when there is no value (the middle two averaged for an even count).</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>A part of a whole, in percent; null when the whole is zero.</summary>
    public static double? Percent(int part, int whole) => whole == 0 ? null : 100.0 * part / whole;
}
