namespace ResoSolidaire.Functions.Platform.Report;

/// <summary>
/// The period of an activity report: two days of Rennes' calendar (Europe/Paris), both inclusive. A calendar
/// year by default; any two dates otherwise.
/// </summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The first instant of <see cref="From"/> in Paris.</summary>
    public DateTimeOffset Start => ExportTime.StartOfDay(From);

    /// <summary>The first instant after <see cref="To"/> in Paris (exclusive end).</summary>
    public DateTimeOffset End => ExportTime.StartOfDay(To.AddDays(1));

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    public bool Contains(DateOnly day) => day >= From && day <= To;

    public static ReportPeriod Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    /// <summary>The calendar months the period touches, in order (the rows of a line per month).</summary>
    public IReadOnlyList<(int Year, int Month)> Months()
    {
        var months = new List<(int, int)>();
        for (var month = new DateOnly(From.Year, From.Month, 1); month <= To; month = month.AddMonths(1))
        {
            months.Add((month.Year, month.Month));
        }

        return months;
    }
}

/// <summary>How a table of the report is best drawn; every chart also shows its table, for people who cannot see it.</summary>
public enum ReportChart
{
    /// <summary>A table only.</summary>
    None,

    /// <summary>Horizontal bars, one per row (by sector, by EPCI...).</summary>
    Bars,

    /// <summary>A line over the rows in their order (intakes per month).</summary>
    Line,
}

/// <summary>What a number counts, so the page and the spreadsheet format it: « 1 234 », « 12,5 jours », « 37 % ».</summary>
public enum ReportUnit
{
    Count,
    Days,
    Hours,
    Percent,
}

/// <summary>A headline figure of a section: « Porteurs de projet reçus : 42 ».</summary>
public sealed record ReportFigure(string Label, double? Value, ReportUnit Unit = ReportUnit.Count, string? Note = null);

/// <summary>A row of a report table: its label (a sector, a commune, a month) and one value per column.</summary>
public sealed record ReportRow(string Label, IReadOnlyList<double?> Values);

/// <summary>A table of figures, in French: its title, the header of the label column, the value columns.</summary>
public sealed record ReportTable(
    string Key,
    string Title,
    string LabelHeader,
    IReadOnlyList<string> Columns,
    IReadOnlyList<ReportRow> Rows,
    ReportChart Chart = ReportChart.None,
    ReportUnit Unit = ReportUnit.Count);

/// <summary>
/// A module's part of the activity report: its headline figures and its tables. <paramref name="Key"/> is a stable
/// code (the section's anchor and sheet), <paramref name="Title"/> what people read, <paramref name="Note"/> how the
/// figures are counted when that is not obvious.
/// </summary>
public sealed record ReportSection(string Key, string Title, IReadOnlyList<ReportFigure> Figures, IReadOnlyList<ReportTable> Tables, string? Note = null);

/// <summary>
/// What a module gives the yearly activity report, computed from its own data (never from another module's
/// tables). Each module registers one in its AddX() (<c>services.AddSingleton&lt;IActivityFigures, X&gt;()</c>); the
/// report (page, print, spreadsheet) shows every one registered, by <see cref="Order"/>: a new module (room sharing)
/// appears in it by registering its own, with nothing else to change.
/// </summary>
public interface IActivityFigures
{
    /// <summary>The section's place in the report, low first.</summary>
    int Order { get; }

    Task<ReportSection> ComputeAsync(ReportPeriod period, CancellationToken cancellationToken);
}
