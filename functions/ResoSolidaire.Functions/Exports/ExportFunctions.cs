namespace ResoSolidaire.Functions.Exports;

/// <summary>Staff exports: GET staff/exports/{dataset}?format=excel|csv|xlsx|json&amp;from=&amp;to=&amp;(the list's filters).</summary>
public sealed class ExportFunctions(ExportService exports)
{
    [Function(nameof(ExportDataset))]
    public async Task<IResult> ExportDataset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/exports/{dataset}")] HttpRequest request,
        string dataset)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = exports.Find(dataset);
        if (found is null)
        {
            return Problems.Problem(
                StatusCodes.Status404NotFound,
                "Ce jeu de données n'existe pas.",
                $"Exports possibles : {string.Join(", ", exports.Slugs.Order(StringComparer.Ordinal))}.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var format = ExportFormats.Parse(request.Query["format"]);
        if (format is null)
        {
            errors["format"] = [$"Format inconnu (valeurs possibles : {ExportFormats.Names})."];
        }

        var range = new DateRange(Day(request, "from", errors), Day(request, "to", errors));
        if (range.From is { } from && range.To is { } to && from > to)
        {
            errors["to"] = ["La date de fin précède la date de début."];
        }

        var plan = await found.PlanAsync(request.Query, range, errors, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // Every parameter but the key (code) is a filter, recorded as given.
        var filters = request.Query
            .Where(q => !string.Equals(q.Key, "code", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return new ExportResult(exports, found, plan, format!.Value, filters, StaffPrincipal.Of(request));
    }

    private static DateOnly? Day(HttpRequest request, string name, Dictionary<string, string[]> errors)
    {
        var text = request.Query[name].ToString().Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var day = LocalDates.Parse(text);
        if (day is null)
        {
            errors[name] = ["La date s'écrit AAAA-MM-JJ (par exemple 2026-03-15)."];
        }

        return day;
    }
}

/// <summary>Writes the export straight to the response body as rows come out of storage.</summary>
internal sealed class ExportResult(ExportService exports, IExportDataset dataset, ExportPlan plan, ExportFormat format, IReadOnlyDictionary<string, string> filters, string principal) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ExportFormats.ContentType(format);
        response.Headers.ContentDisposition = ExportService.ContentDisposition(exports.FileName(dataset, format));
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        await exports.ExportAsync(dataset, plan, format, filters, response.Body, principal, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
