using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Report;

/// <summary>
/// The activity report in the console: the page (charts beside their tables, printable on A4) and its figures as a
/// spreadsheet. The period is a calendar year (<c>annee</c>; the last complete one by default) or two days
/// (<c>du</c>, <c>au</c>), in Rennes' calendar.
/// </summary>
public sealed class ReportConsole(ActivityReport report, TimeProvider time)
{
    public const string Path = ConsolePaths.Home + "/rapport";

    public const string WorkbookPath = Path + "/tableur";

    /// <summary>The first year the association's data can hold (the report's year list starts there).</summary>
    public const int FirstYear = 2009;

    [Function(nameof(ConsoleReport))]
    public async Task<ConsoleResult> ConsoleReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/rapport")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var today = LocalDates.Today(time);
        var asked = ReportQuery.Read(request.Query, today);
        if (asked.Errors.Any)
        {
            return ConsoleGate.Page<ReportPage>(new { gate.Member, Query = asked, Today = today }, StatusCodes.Status400BadRequest);
        }

        var result = await report.ComputeAsync(asked.Period!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return ConsoleGate.Page<ReportPage>(new { gate.Member, Query = asked, Today = today, Report = result });
    }

    [Function(nameof(ConsoleReportWorkbook))]
    public async Task<Results<FileContentHttpResult, RazorComponentResult, RedirectHttpResult>> ConsoleReportWorkbook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/rapport/tableur")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal.Result switch
            {
                RazorComponentResult page => page,
                RedirectHttpResult redirect => redirect,
                _ => throw new InvalidOperationException("The console's gate refuses with a page or a redirect."),
            };
        }

        var today = LocalDates.Today(time);
        var asked = ReportQuery.Read(request.Query, today);
        if (asked.Errors.Any)
        {
            return ConsoleGate.Page<ReportPage>(new { gate.Member, Query = asked, Today = today }, StatusCodes.Status400BadRequest);
        }

        var result = await report.ComputeAsync(asked.Period!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(ReportWorkbook.Write(result), ReportWorkbook.ContentType, ReportWorkbook.FileName(asked.Period!));
    }
}

/// <summary>The period asked for, as the form shows it again, or the French errors that stop it.</summary>
public sealed record ReportQuery(ReportPeriod? Period, int? Year, string? From, string? To, FieldErrors Errors)
{
    /// <summary>The address of the report (or its spreadsheet) for the same period.</summary>
    public string Link(string path) => path + QueryString.Create(
        From is not null || To is not null
            ? new Dictionary<string, string?> { ["du"] = From, ["au"] = To }
            : new Dictionary<string, string?> { ["annee"] = Year?.ToString(CultureInfo.InvariantCulture) });

    public static ReportQuery Read(IQueryCollection query, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? Value(string name) => query[name].ToString().Trim() is { Length: > 0 } v ? v : null;
        var errors = new FieldErrors();
        var from = Value("du");
        var to = Value("au");
        if (from is not null || to is not null)
        {
            var start = Day(errors, "du", from, "La date de début");
            var end = Day(errors, "au", to, "La date de fin");
            if (start is { } s && end is { } e && s > e)
            {
                errors.Add("au", "La date de fin doit suivre la date de début.");
            }

            return new ReportQuery(errors.Any ? null : new ReportPeriod(start!.Value, end!.Value), null, from, to, errors);
        }

        var year = today.Year - 1;
        if (Value("annee") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year) || year < ReportConsole.FirstYear || year > today.Year)
            {
                errors.Add("annee", $"Choisissez une année entre {ReportConsole.FirstYear.ToString(CultureInfo.InvariantCulture)} et {today.Year.ToString(CultureInfo.InvariantCulture)}.");
                return new ReportQuery(null, null, null, null, errors);
            }
        }

        return new ReportQuery(ReportPeriod.Year(year), year, null, null, errors);
    }

    private static DateOnly? Day(FieldErrors errors, string field, string? text, string label)
    {
        if (text is null)
        {
            errors.Add(field, $"{label} manque : choisissez-la dans le calendrier.");
            return null;
        }

        var day = LocalDates.Parse(text);
        if (day is null)
        {
            errors.Add(field, $"{label} n'est pas une date : choisissez-la dans le calendrier (jour, mois, année).");
        }

        return day;
    }
}
