namespace ResoSolidaire.Functions.Directory.Import;

/// <summary>
/// Imports a staff spreadsheet (CSV) into the directory. The file is the request body (text/csv), or the
/// first file of a multipart form. ?dryRun=true reports without writing; ?skipRejected=true lets a real
/// run write the valid rows of a file that has rejected ones (otherwise it writes nothing).
/// </summary>
public sealed class ImportFunction(ActorImporter importer, IOptions<DirectoryOptions> options)
{
    [Function(nameof(ImportActors))]
    public async Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> ImportActors(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/directory/import")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var dryRun = Flag(request, "dryRun", errors);
        var skipRejected = Flag(request, "skipRejected", errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var maxBytes = options.Value.ImportMaxBytes;
        var file = await ReadFileAsync(request, maxBytes).ConfigureAwait(false);
        if (file is null)
        {
            return Problems.Problem(
                StatusCodes.Status413PayloadTooLarge,
                "Le fichier est trop volumineux.",
                $"Un import accepte au plus {maxBytes / (1024 * 1024)} Mo : découpez le fichier en plusieurs parties.");
        }

        var result = await importer.ImportAsync(file.Value, dryRun, skipRejected, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Answer(result, request.HttpContext.Response);
    }

    /// <summary>The import's outcome as an answer: the report, or the French problem saying what was (not) written.</summary>
    private static Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult> Answer(ImportResult result, HttpResponse response)
    {
        switch (result.Status)
        {
            case ImportStatus.FileRefused:
                {
                    var problem = Problems.Problem(StatusCodes.Status422UnprocessableEntity, "Le fichier ne peut pas être importé.", result.Refusal!.Reason);
                    problem.ProblemDetails.Extensions["line"] = result.Refusal.Line;
                    return problem;
                }

            case ImportStatus.RowsRejected:
                {
                    var report = result.Report!;
                    var problem = Problems.Problem(
                        StatusCodes.Status422UnprocessableEntity,
                        "Des lignes sont rejetées : rien n'a été importé.",
                        $"{report.Summary.Rejected} ligne(s) sur {report.Summary.Rows} sont rejetées. Corrigez-les puis relancez l'import, ou relancez-le avec skipRejected=true pour importer les autres lignes.");
                    problem.ProblemDetails.Extensions["summary"] = report.Summary;
                    problem.ProblemDetails.Extensions["rejected"] = report.Rows.Where(r => r.Outcome == RowOutcome.Rejected).ToList();
                    return problem;
                }

            case ImportStatus.Interrupted:
                {
                    var problem = Problems.Problem(
                        StatusCodes.Status503ServiceUnavailable,
                        "L'import s'est interrompu : le stockage ne répond plus.",
                        $"{result.Written} ligne(s) sur {result.ToWrite} ont été enregistrées. Relancez le même fichier dans une minute : les lignes déjà enregistrées apparaîtront inchangées et les autres seront enregistrées.");
                    problem.ProblemDetails.Extensions["written"] = result.Written;
                    problem.ProblemDetails.Extensions["toWrite"] = result.ToWrite;
                    response.Headers.RetryAfter = "60";
                    return problem;
                }

            default:
                return TypedResults.Ok(result.Report!);
        }
    }

    private static bool Flag(HttpRequest request, string name, Dictionary<string, string[]> errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return false;
        }

        if (YesNo.Parse(text) is { } value)
        {
            return value;
        }

        errors[name] = [$"Le paramètre {name} vaut true ou false."];
        return false;
    }

    /// <summary>The bytes of the file, or null when it is larger than allowed.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadFileAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        Stream source;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            if (form.Files.Count == 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            if (form.Files[0].Length > maxBytes)
            {
                return null;
            }

            source = form.Files[0].OpenReadStream();
        }
        else
        {
            source = request.Body;
        }

        await using (source.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        }
    }
}
