namespace ResoSolidaire.Functions.Exports;

/// <summary>Staff exports: GET staff/exports/{dataset}?format=excel|csv|xlsx|json&amp;from=&amp;to=&amp;(the list's filters).</summary>
public sealed class ExportFunctions(ExportService exports)
{
    [Function(nameof(ExportDataset))]
    public async Task<Results<ExportResult, ValidationProblem, ProblemHttpResult>> ExportDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/exports/{dataset}")] HttpRequest request,
        string dataset)
    {
        if (StaffAccess.Deny(request, StaffRole.Administration) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var export = await exports.PrepareAsync(dataset, request.Query, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return export switch
        {
            null => Problems.Problem(
                StatusCodes.Status404NotFound,
                "Ce jeu de données n'existe pas.",
                $"Exports possibles : {string.Join(", ", exports.Slugs.Order(StringComparer.Ordinal))}."),
            { Planned: { } planned } => new ExportResult(exports, planned, StaffPrincipal.Read(request)!),
            { Errors: var errors } => Problems.Validation(errors!),
        };
    }
}

/// <summary>Writes the export straight to the response body as rows come out of storage.</summary>
public sealed class ExportResult(ExportService exports, PlannedExport export, StaffMember principal) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    public string ContentType => ExportFormats.ContentType(export.Format);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.ContentDisposition = ExportService.ContentDisposition(exports.FileName(export.Dataset, export.Format));
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        await exports.ExportAsync(export.Dataset, export.Plan, export.Format, export.Filters, response.Body, principal, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
