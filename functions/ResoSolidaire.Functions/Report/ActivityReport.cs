using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Report;

/// <summary>
/// The activity report of a period: every registered module's section, in order; <c>Incomplete</c> counts the
/// modules whose section could not be computed (logged by exception type).
/// </summary>
public sealed record ActivityReportResult(ReportPeriod Period, DateTimeOffset GeneratedAt, IReadOnlyList<ReportSection> Sections, int Incomplete);

/// <summary>
/// Collects the sections of every module that registered an <see cref="IActivityFigures"/>, side by side (each reads
/// its own tables), and names none of them: a module added later (room sharing) appears by registering its own.
/// </summary>
public sealed class ActivityReport(IEnumerable<IActivityFigures> figures, TimeProvider time, ILogger<ActivityReport> logger)
{
    private readonly IReadOnlyList<IActivityFigures> _figures = [.. figures.OrderBy(f => f.Order)];

    public async Task<ActivityReportResult> ComputeAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var sections = await Task.WhenAll(_figures.Select(f => ComputeAsync(f, period, cancellationToken))).ConfigureAwait(false);
        return new ActivityReportResult(period, time.GetUtcNow(), [.. sections.OfType<ReportSection>()], sections.Count(s => s is null));
    }

    private async Task<ReportSection?> ComputeAsync(IActivityFigures source, ReportPeriod period, CancellationToken cancellationToken)
    {
        try
        {
            return await source.ComputeAsync(period, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Activity report: the figures of {Source} failed", source.GetType().Name);
            return null;
        }
    }
}

/// <summary>How the report writes a value: « 1 234 », « 12,5 jours », « 18 heures », « 37 % »; « – » when there is none.</summary>
public static class ReportFormat
{
    public const string None = "–";

    public static string Value(double? value, ReportUnit unit) => value switch
    {
        null => None,
        { } v => unit switch
        {
            ReportUnit.Days => $"{ConsoleText.Number(v)} {(v < 2 ? "jour" : "jours")}",
            ReportUnit.Hours => $"{ConsoleText.Number(v)} {(v < 2 ? "heure" : "heures")}",
            ReportUnit.Percent => $"{ConsoleText.Number(v)}\u202F%",
            _ => ConsoleText.Number(v, 0),
        },
    };

    /// <summary>A table's cell: the number alone (the unit is in the column's header or the table's title).</summary>
    public static string Cell(double? value, ReportUnit unit) => value is null ? None : unit == ReportUnit.Percent ? Value(value, unit) : ConsoleText.Number(value.Value);

    /// <summary>« du 1er janvier 2025 au 31 décembre 2025 », or « l'année 2025 » for a calendar year.</summary>
    public static string Period(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return period.From.Month == 1 && period.From.Day == 1 && period.To == new DateOnly(period.From.Year, 12, 31)
            ? $"l'année {period.From.Year.ToString(CultureInfo.InvariantCulture)}"
            : $"du {ConsoleText.Day(period.From)} au {ConsoleText.Day(period.To)}";
    }
}
