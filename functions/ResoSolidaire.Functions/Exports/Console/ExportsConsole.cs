using ResoSolidaire.Functions.Platform.Audit;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Exports.Console;

/// <summary>A dataset as the exports page lists it.</summary>
public sealed record DatasetLink(string Slug, string Title, string Path);

/// <summary>A past export, from the audit log, as people read it.</summary>
public sealed record PastExport(DateTimeOffset At, string By, string Dataset, string Format, string Filters, int Rows, bool Completed);

/// <summary>
/// The exports in the console (« Administration » only: every dataset holds personal data): each dataset with the
/// filters of its list, the number of rows before downloading, a download button per format (the staff route
/// <c>staff/exports/{dataset}</c>, which the session opens), and the latest exports from the audit log.
/// </summary>
public sealed class ExportsConsole(ExportService exports, AuditLog audit)
{
    public const string ListPath = ConsolePaths.Home + "/exports";

    private const int Latest = 20;

    public static string DatasetPath(string slug) => ListPath + "/" + Uri.EscapeDataString(slug);

    /// <summary>Where a file is downloaded: the staff export route with the format and the filters.</summary>
    public static string DownloadPath(string slug, ExportFormat format, IEnumerable<KeyValuePair<string, string?>> filters) =>
        "/api/staff/exports/" + Uri.EscapeDataString(slug)
        + QueryString.Create(filters.Where(f => !string.IsNullOrEmpty(f.Value)).Prepend(new("format", ExportFormats.Name(format))));

    [Function(nameof(ConsoleExports))]
    public async Task<ConsoleResult> ConsoleExports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/exports")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Administration);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var datasets = exports.Datasets
            .Select(d => new DatasetLink(d.Slug, d.Title, DatasetPath(d.Slug)))
            .OrderBy(d => d.Title, StringComparer.Create(CultureInfo.GetCultureInfo("fr-FR"), CompareOptions.IgnoreCase))
            .ToList();
        var titles = exports.Datasets.ToDictionary(d => d.Slug, d => d.Title, StringComparer.Ordinal);
        var entries = await audit.LatestAsync(AuditActions.Export, Latest, 24, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var filtersOf = new Dictionary<string, IReadOnlyList<ExportFilter>>(StringComparer.Ordinal);
        foreach (var slug in entries.Select(e => e.Dataset).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            filtersOf[slug] = exports.Find(slug) is { } d ? await d.FiltersAsync(request.HttpContext.RequestAborted).ConfigureAwait(false) : [];
        }

        var past = entries
            .Select(e => new PastExport(e.At, e.Principal, titles.GetValueOrDefault(e.Dataset ?? "", e.Dataset ?? ""), FormatLabel(e.Format), FiltersText(e.Filters, filtersOf.GetValueOrDefault(e.Dataset ?? "") ?? []), e.Rows, e.Completed))
            .ToList();
        return ConsoleGate.Page<ExportsPage>(new { gate.Member, Datasets = datasets, Past = past });
    }

    [Function(nameof(ConsoleExportDataset))]
    public async Task<ConsoleResult> ConsoleExportDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/exports/{dataset}")] HttpRequest request,
        string dataset)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Administration);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        if (exports.Find(dataset) is not { } found)
        {
            return ConsoleGate.Page<ConsoleRefusedPage>(
                new { gate.Member, Title = "Cet export n'existe pas", Detail = "Choisissez-le dans la liste des exports.", Back = ListPath },
                StatusCodes.Status404NotFound);
        }

        var cancellation = request.HttpContext.RequestAborted;
        var filters = await found.FiltersAsync(cancellation).ConfigureAwait(false);
        var names = filters.Select(f => f.Name).Concat(found.DateRangeLabel is null ? [] : ["from", "to"]).ToList();
        var values = names.ToDictionary(n => n, n => (string?)(request.Query[n].ToString().Trim() is { Length: > 0 } v ? v : null), StringComparer.Ordinal);
        var errors = new FieldErrors();
        int? count = null;
        var missing = filters.FirstOrDefault(f => f.Required && values[f.Name] is null);
        if (missing is null)
        {
            var query = new QueryCollection(values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => new Microsoft.Extensions.Primitives.StringValues(v.Value), StringComparer.Ordinal));
            var prepared = await exports.PrepareAsync(found.Slug, query, cancellation).ConfigureAwait(false);
            if (prepared?.Planned is { } planned)
            {
                count = await ExportService.CountAsync(planned.Plan, cancellation).ConfigureAwait(false);
            }
            else
            {
                foreach (var (field, messages) in prepared?.Errors ?? new Dictionary<string, string[]>())
                {
                    errors.Add(field, messages[0]);
                }
            }
        }

        return ConsoleGate.Page<ExportDatasetPage>(
            new { gate.Member, Dataset = found, Filters = filters, Values = values, Errors = errors, Count = count, Missing = missing },
            errors.Any ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    public static string FormatLabel(string? format) => ExportFormats.Parse(format) switch
    {
        ExportFormat.Excel => "CSV pour Excel",
        ExportFormat.Csv => "CSV",
        ExportFormat.Xlsx => "Classeur Excel (XLSX)",
        ExportFormat.Json => "JSON",
        _ => format ?? "",
    };

    /// <summary>The filters of a past export as people read them: « Sujet : Adhésion ; Reçus du : 2026-01-01 ».</summary>
    private static string FiltersText(string json, IReadOnlyList<ExportFilter> filters)
    {
        Dictionary<string, string>? given;
        try
        {
            given = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (JsonException)
        {
            return "";
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["from"] = "Du", ["to"] = "Au" };
        var choices = new Dictionary<(string, string), string>();
        foreach (var filter in filters)
        {
            labels[filter.Name] = filter.Label;
            foreach (var choice in filter.Choices ?? [])
            {
                choices[(filter.Name, choice.Value)] = choice.Label;
            }
        }

        return string.Join(" ; ", (given ?? []).Where(f => f.Key != "format" && f.Value.Length > 0).Select(f =>
            $"{labels.GetValueOrDefault(f.Key, f.Key)} : {choices.GetValueOrDefault((f.Key, f.Value), f.Value)}"));
    }
}
