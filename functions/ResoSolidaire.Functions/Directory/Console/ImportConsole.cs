using ResoSolidaire.Functions.Directory.Import;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Exports;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Directory.Console;

/// <summary>
/// The import wizard in the console, one question a page: the file; how it was read (encoding, separator, header
/// line); which field each column fills; what the values the lists do not know become; the dry run's report; the
/// import, followed as it writes; its report, downloadable. Nothing reaches the directory before « Importer ».
/// </summary>
public sealed class ImportConsole(ImportWizard wizard, ImportRunner runner, ImportStaging staging, VocabularyStore vocabularies, ConsoleForms forms, IOptions<DirectoryOptions> options)
{
    public const string StartPath = DirectoryConsole.ListPath + "/import";

    public const string Reading = "lecture";
    public const string Columns = "colonnes";
    public const string Values = "valeurs";
    public const string Check = "verification";
    public const string Start = "importer";
    public const string Progress = "progression";

    public const int ReportPageSize = 100;

    public static string StepPath(string id, string step) => StartPath + "/" + id + "/" + step;

    public static string ReportCsvPath(string id, string kind) => StartPath + "/" + id + "/rapport/" + kind;

    [Function(nameof(ConsoleImportStart))]
    public ConsoleResult ConsoleImportStart(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/import")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        return gate.IsOpen ? StartPage(request, gate.Member, new FieldErrors()) : gate.Refusal;
    }

    [Function(nameof(ConsoleImportUpload))]
    public async Task<ConsoleResult> ConsoleImportUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/annuaire/import")] HttpRequest request)
    {
        var maxBytes = options.Value.ImportMaxBytes;
        var upload = await ConsoleUpload.ReceiveAsync(forms, request, StaffRole.Team, StartPath, "fichier", maxBytes).ConfigureAwait(false);
        if (!upload.IsAccepted)
        {
            return upload.Refusal;
        }

        var errors = new FieldErrors();
        if (upload.TooLarge)
        {
            errors.Add("fichier", $"Le fichier dépasse {maxBytes / (1024 * 1024)} Mo : découpez-le en plusieurs fichiers.");
        }
        else if (upload.Content is not { Length: > 0 } content)
        {
            errors.Add("fichier", "Choisissez le fichier à importer (un tableur enregistré au format CSV).");
        }
        else
        {
            var (staged, refusal) = await wizard.UploadAsync(upload.Member, upload.FileName, content, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (staged is not null)
            {
                return TypedResults.Redirect(StepPath(staged.State.Id, Reading));
            }

            errors.Add("fichier", refusal!.Line > 1 ? $"{refusal.Reason} (ligne {refusal.Line})" : refusal.Reason);
        }

        return StartPage(request, upload.Member, errors, StatusCodes.Status400BadRequest);
    }

    [Function(nameof(ConsoleImportStep))]
    public async Task<ConsoleResult> ConsoleImportStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/import/{id}/{step}")] HttpRequest request,
        string id,
        string step)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        if (step is Progress)
        {
            var staged = await staging.GetAsync(id, gate.Member, cancellation).ConfigureAwait(false);
            return staged is null ? NotFound(gate.Member) : await ProgressPageAsync(request, gate.Member, staged.State, cancellation).ConfigureAwait(false);
        }

        if (step is Check)
        {
            var staged = await staging.GetAsync(id, gate.Member, cancellation).ConfigureAwait(false);
            if (staged is null)
            {
                return NotFound(gate.Member);
            }

            return staged.State.DryRun is null
                ? TypedResults.Redirect(StepPath(id, Values))
                : await ReportPageAsync(request, gate.Member, staged.State, ImportStaging.DryRunReport, cancellation).ConfigureAwait(false);
        }

        var view = await wizard.ViewAsync(id, gate.Member, cancellation).ConfigureAwait(false);
        return (view, step) switch
        {
            (null, _) => NotFound(gate.Member),
            (_, Reading) => ReadingPage(request, gate.Member, view, new FieldErrors()),
            (_, Columns) => ColumnsPage(request, gate.Member, view, null, new FieldErrors()),
            (_, Values) when view.State.Columns is null => TypedResults.Redirect(StepPath(id, Columns)),
            (_, Values) => await ValuesPageAsync(request, gate.Member, view, null, new FieldErrors(), StatusCodes.Status200OK, cancellation).ConfigureAwait(false),
            _ => NotFound(gate.Member),
        };
    }

    [Function(nameof(ConsoleImportAction))]
    public async Task<ConsoleResult> ConsoleImportAction(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/annuaire/import/{id}/{step}")] HttpRequest request,
        string id,
        string step)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, StepPath(id, step)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var member = post.Member;
        var form = post.Form;
        if (step is Start)
        {
            return await StartImportAsync(request, member, id, cancellation).ConfigureAwait(false);
        }

        var view = await wizard.ViewAsync(id, member, cancellation).ConfigureAwait(false);
        if (view is null)
        {
            return NotFound(member);
        }

        switch (step)
        {
            case Reading:
                {
                    var errors = new FieldErrors();
                    var separator = SheetLayout.Separators.FirstOrDefault(s => s.Separator.ToString() == (form.Value("separateur") == "tab" ? "\t" : form.Value("separateur"))).Separator;
                    int? headerLine = null;
                    if (form.Value("ligne") is { } lineText)
                    {
                        headerLine = int.TryParse(lineText, NumberStyles.None, CultureInfo.InvariantCulture, out var line) && line is >= 1 and <= 10_000 ? line : null;
                        if (headerLine is null)
                        {
                            errors.Add("ligne", "Indiquez le numéro de la ligne qui porte les noms des colonnes (1 pour la première ligne).");
                        }
                    }

                    if (errors.Any)
                    {
                        return ReadingPage(request, member, view, errors, StatusCodes.Status400BadRequest);
                    }

                    return await wizard.SetLayoutAsync(view, separator == default ? null : separator, headerLine, cancellation).ConfigureAwait(false) is null
                        ? Changed(member, id)
                        : TypedResults.Redirect(StepPath(id, Reading) + "?fait=lecture");
                }

            case Columns:
                {
                    var chosen = Enumerable.Range(0, view.Read.Sheet.Headers.Count)
                        .Select(i => Enum.TryParse<Column>(form.Value($"colonne-{i}"), out var c) && SpreadsheetColumns.All.Contains(c) ? c : (Column?)null)
                        .ToList();
                    var (saved, errors) = await wizard.SetColumnsAsync(view, chosen, cancellation).ConfigureAwait(false);
                    if (errors.Any)
                    {
                        return ColumnsPage(request, member, view, chosen, errors, StatusCodes.Status400BadRequest);
                    }

                    return saved is null ? Changed(member, id) : TypedResults.Redirect(StepPath(id, Values));
                }

            case Values when view.Sheet is not null:
                {
                    var choices = await wizard.UnknownValuesAsync(view, cancellation).ConfigureAwait(false);
                    var current = await vocabularies.CurrentAsync(cancellation).ConfigureAwait(false);
                    var (decisions, errors) = ReadDecisions(form, choices, current);
                    if (errors.Any)
                    {
                        return await ValuesPageAsync(request, member, view, form, errors, StatusCodes.Status400BadRequest, cancellation).ConfigureAwait(false);
                    }

                    return await wizard.CheckAsync(view, decisions, member, cancellation).ConfigureAwait(false) is null
                        ? Changed(member, id)
                        : TypedResults.Redirect(StepPath(id, Check));
                }

            default:
                return NotFound(member);
        }
    }

    [Function(nameof(ConsoleImportReport))]
    public async Task<Results<FileContentHttpResult, RazorComponentResult, RedirectHttpResult>> ConsoleImportReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/import/{id}/rapport/{kind}")] HttpRequest request,
        string id,
        string kind)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal.Result is RedirectHttpResult redirect ? redirect : (RazorComponentResult)gate.Refusal.Result!;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var staged = await staging.GetAsync(id, gate.Member, cancellation).ConfigureAwait(false);
        var report = staged is null || kind is not (ImportStaging.DryRunReport or ImportStaging.FinalReport)
            ? null
            : await staging.ReportAsync(id, kind, cancellation).ConfigureAwait(false);
        if (report is null)
        {
            return NotFound(gate.Member);
        }

        using var output = new MemoryStream();
        await ExportService.WriteAsync(ImportReportRows.Columns, ImportReportRows.Plan(report, kind == ImportStaging.DryRunReport), ExportFormat.Excel, output, cancellation).ConfigureAwait(false);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var stem = Path.GetFileNameWithoutExtension(staged!.State.FileName);
        var name = kind == ImportStaging.DryRunReport ? $"verification-import_{stem}.csv" : $"rapport-import_{stem}.csv";
        request.HttpContext.Response.Headers.ContentDisposition = ExportService.ContentDisposition(name);
        return TypedResults.File(output.ToArray(), ExportFormats.ContentType(ExportFormat.Excel));
    }

    private async Task<ConsoleResult> StartImportAsync(HttpRequest request, StaffMember member, string id, CancellationToken cancellation)
    {
        var staged = await staging.GetAsync(id, member, cancellation).ConfigureAwait(false);
        if (staged is null)
        {
            return NotFound(member);
        }

        if (!wizard.CanStart(staged.State))
        {
            // Already running or done (a second click, another tab): the progress page says where it stands.
            return TypedResults.Redirect(StepPath(id, Progress));
        }

        if (await wizard.MarkRunningAsync(staged, cancellation).ConfigureAwait(false) is null)
        {
            return Changed(member, id);
        }

        runner.Start(id, member);
        return TypedResults.Redirect(StepPath(id, Progress));
    }

    /// <summary>The decisions posted for each unknown value: « terme » (with the term chosen), « creer », « etiquette » or « vide ».</summary>
    private static (List<(VocabularyName, ValueDecision)> Decisions, FieldErrors Errors) ReadDecisions(ConsoleForm form, IReadOnlyList<ValueChoice> choices, DirectoryVocabularies vocabulary)
    {
        var decisions = new List<(VocabularyName, ValueDecision)>();
        var errors = new FieldErrors();
        for (var i = 0; i < choices.Count; i++)
        {
            var value = choices[i].Value;
            var list = vocabulary.Of(value.Vocabulary);
            switch (form.Value($"choix-{i}"))
            {
                case "terme" when list.ByCode(form.Value($"terme-{i}")) is { } term:
                    decisions.Add((value.Vocabulary, new ValueDecision(value.Value, ValueAction.Term, term.Code)));
                    break;
                case "terme":
                    errors.Add($"terme-{i}", $"Choisissez {VocabularyNames.TheTerm(value.Vocabulary)} auquel associer « {value.Value} ».");
                    break;
                case "creer" when value.Value.Length > VocabularyNames.MaxLabelLength(value.Vocabulary):
                    errors.Add($"choix-{i}", $"« {value.Value} » est trop long pour devenir un terme ({VocabularyNames.MaxLabelLength(value.Vocabulary)} caractères au plus) : associez-le à un terme existant.");
                    break;
                case "creer":
                    decisions.Add((value.Vocabulary, new ValueDecision(value.Value, ValueAction.Create)));
                    break;
                case "etiquette":
                    decisions.Add((value.Vocabulary, new ValueDecision(value.Value, ValueAction.Tag)));
                    break;
                case "vide":
                    decisions.Add((value.Vocabulary, new ValueDecision(value.Value, ValueAction.Empty)));
                    break;
                default:
                    errors.Add($"choix-{i}", $"Choisissez ce que devient « {value.Value} ».");
                    break;
            }
        }

        return (decisions, errors);
    }

    private RazorComponentResult StartPage(HttpRequest request, StaffMember member, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        ConsoleGate.Page<ImportStartPage>(
            new { Member = member, Errors = errors, MaxMegabytes = options.Value.ImportMaxBytes / (1024 * 1024), MaxRows = options.Value.ImportMaxRows, Token = forms.Issue(request, member) },
            status);

    private RazorComponentResult ReadingPage(HttpRequest request, StaffMember member, WizardView view, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        ConsoleGate.Page<ImportReadingPage>(
            new { Member = member, View = view, Errors = errors, Flash = request.Query["fait"] == "lecture" ? "La lecture du fichier est corrigée." : null, Token = forms.Issue(request, member) },
            status);

    private RazorComponentResult ColumnsPage(HttpRequest request, StaffMember member, WizardView view, IReadOnlyList<Column?>? chosen, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        ConsoleGate.Page<ImportColumnsPage>(
            new { Member = member, View = view, Chosen = chosen ?? view.Columns, Errors = errors, Token = forms.Issue(request, member) },
            status);

    private async Task<ConsoleResult> ValuesPageAsync(HttpRequest request, StaffMember member, WizardView view, ConsoleForm? posted, FieldErrors errors, int status, CancellationToken cancellation)
    {
        if (view.Sheet?.Refusal is { } refusal)
        {
            var columnErrors = new FieldErrors();
            columnErrors.Add("colonne-0", refusal.Reason);
            return ColumnsPage(request, member, view, null, columnErrors, StatusCodes.Status400BadRequest);
        }

        var choices = await wizard.UnknownValuesAsync(view, cancellation).ConfigureAwait(false);
        var vocabulary = await vocabularies.CurrentAsync(cancellation).ConfigureAwait(false);
        var selected = choices.Select((c, i) => posted is null
                ? (Choice: c.Decision?.Action switch
                {
                    ValueAction.Term when c.Decision.TermCode is { } code && vocabulary.Of(c.Value.Vocabulary).Find(code) is not null => "terme",
                    ValueAction.Create => "creer",
                    ValueAction.Tag => "etiquette",
                    ValueAction.Empty => "vide",
                    _ => null,
                }, Term: c.Decision?.TermCode is { } t ? vocabulary.Of(c.Value.Vocabulary).Find(t)?.Code : null)
                : (Choice: posted.Value($"choix-{i}"), Term: posted.Value($"terme-{i}")))
            .ToList();
        return ConsoleGate.Page<ImportValuesPage>(
            new { Member = member, View = view, Choices = choices, Selected = (IReadOnlyList<(string? Choice, string? Term)>)selected, Vocabulary = vocabulary, Errors = errors, Token = forms.Issue(request, member) },
            status);
    }

    private async Task<ConsoleResult> ReportPageAsync(HttpRequest request, StaffMember member, WizardState state, string kind, CancellationToken cancellation)
    {
        var report = await staging.ReportAsync(state.Id, kind, cancellation).ConfigureAwait(false);
        if (report is null)
        {
            return NotFound(member);
        }

        var outcome = request.Query["resultat"].ToString() is { Length: > 0 } o && RowOutcome.Terms.All.Any(t => t.Code == o) ? o : null;
        var rows = report.Rows.Where(r => outcome is null || r.Outcome == outcome).ToList();
        var pages = Math.Max(1, (rows.Count + ReportPageSize - 1) / ReportPageSize);
        var page = int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) ? Math.Clamp(asked, 1, pages) : 1;
        return ConsoleGate.Page<ImportReportPage>(new
        {
            Member = member,
            State = state,
            Report = report,
            Kind = kind,
            Outcome = outcome,
            Rows = (IReadOnlyList<ImportRowReport>)rows.Skip((page - 1) * ReportPageSize).Take(ReportPageSize).ToList(),
            Matching = rows.Count,
            Page = page,
            Pages = pages,
            CanStart = wizard.CanStart(state),
            Token = forms.Issue(request, member),
        });
    }

    private async Task<ConsoleResult> ProgressPageAsync(HttpRequest request, StaffMember member, WizardState state, CancellationToken cancellation)
    {
        if (state.Step == WizardSteps.Done)
        {
            return await ReportPageAsync(request, member, state, ImportStaging.FinalReport, cancellation).ConfigureAwait(false);
        }

        if (state.Step is not (WizardSteps.Running or WizardSteps.Interrupted))
        {
            return TypedResults.Redirect(StepPath(state.Id, state.DryRun is null ? Reading : Check));
        }

        return ConsoleGate.Page<ImportProgressPage>(new
        {
            Member = member,
            State = state,
            Stale = wizard.IsStale(state),
            Token = forms.Issue(request, member),
        });
    }

    private static RazorComponentResult Changed(StaffMember member, string id) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Cet import a changé entre-temps", Detail = "Il a été poursuivi dans une autre fenêtre. Rien n'a été enregistré depuis cette page-ci : rouvrez l'import pour voir où il en est.", Back = StepPath(id, Reading) },
            StatusCodes.Status409Conflict);

    private static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Cet import est introuvable", Detail = "Un fichier déposé n'est gardé qu'un jour, et seule la personne qui l'a déposé peut poursuivre son import. Déposez-le à nouveau.", Back = StartPath },
            StatusCodes.Status404NotFound);
}

/// <summary>An import's report as an Excel spreadsheet (CSV, French): one line per row of the file.</summary>
public static class ImportReportRows
{
    public static IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("line", "Ligne"),
        new("name", "Nom"),
        new("outcome", "Résultat"),
        new("changes", "Champs modifiés"),
        new("reason", "Motif du refus"),
        new("notices", "Remarques"),
        new("actorId", "Identifiant"),
    ];

    public static ExportPlan Plan(ImportReport report, bool dryRun) => new(_ => Pages(report, dryRun));

    /// <summary>
    /// What happens to a row, said of a fiche (feminine): in the conditional for the dry run (« À créer »), as done for
    /// the import (« Créée »).
    /// </summary>
    public static string Label(string outcome, bool dryRun) => (dryRun, outcome) switch
    {
        (true, RowOutcome.Created) => "À créer",
        (true, RowOutcome.Updated) => "À mettre à jour",
        (false, RowOutcome.Created) => "Créée",
        (false, RowOutcome.Updated) => "Mise à jour",
        (_, RowOutcome.Unchanged) => "Inchangée",
        _ => "Refusée",
    };

    private static async IAsyncEnumerable<IReadOnlyList<object?[]>> Pages(ImportReport report, bool dryRun)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var chunk in report.Rows.Chunk(1000))
        {
            yield return chunk.Select(r => new object?[]
            {
                r.Line,
                r.Name,
                Label(r.Outcome, dryRun),
                r.Changes is { Count: > 0 } changes ? string.Join(", ", changes) : null,
                r.Reason,
                r.Notices is { Count: > 0 } notices ? string.Join(" ", notices) : null,
                r.ActorId,
            }).ToList();
        }
    }
}
