using System.Text.RegularExpressions;
using ResoSolidaire.Functions.Directory.Vocabularies;

namespace ResoSolidaire.Functions.Porteurs.FollowUp;

/// <summary>Staff follow-up of porteurs de projet: list, detail with timeline, and changes, each attributed.</summary>
public sealed partial class CaseFunctions(CaseFollowUp followUp, VocabularyStore vocabularies, TimeProvider time)
{
    private const string CaseWhat = "Ce dossier";
    private const string Route = "staff/porteurs/cases";

    [Function(nameof(ListCases))]
    public async Task<Results<Ok<CasePage>, ValidationProblem, ProblemHttpResult>> ListCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var vocabulary = await vocabularies.CurrentAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var filter = CaseQuery.Parse(request.Query, vocabulary.Sectors, errors);
        var wanted = PageRequest.Parse(request.Query, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await followUp.ListAsync(filter, wanted.Size, wanted.Continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new CasePage(page.Items, page.Continuation));
    }

    [Function(nameof(GetCase))]
    public async Task<Results<Ok<CaseDetailDto>, ProblemHttpResult>> GetCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/{reference}")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var detail = IsReference(reference) ? await followUp.DetailAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false) : null;
        return detail is null ? StaffProblems.NotFound(CaseWhat) : TypedResults.Ok(detail);
    }

    [Function(nameof(ChangeCasePhase))]
    public async Task<Results<Ok<CaseDetailDto>, ValidationProblem, ProblemHttpResult>> ChangeCasePhase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/{reference}/phase")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        return await ChangeAsync<PhaseChangeInput>(request, reference, (input, errors) =>
        {
            if (!CasePhases.IsPhase(input.Phase))
            {
                errors["phase"] = [$"Phase inconnue ou absente (valeurs possibles : {string.Join(", ", CasePhases.Terms.All.Select(t => t.Code))})."];
            }

            var comment = Text(input.Comment, "comment", 2000, errors);
            return errors.Count > 0 ? null : by => followUp.ChangePhaseAsync(reference, input.Phase!, comment, by, request.HttpContext.RequestAborted);
        }).ConfigureAwait(false);
    }

    [Function(nameof(AssignCase))]
    public async Task<Results<Ok<CaseDetailDto>, ValidationProblem, ProblemHttpResult>> AssignCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/{reference}/assignee")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        return await ChangeAsync<AssigneeInput>(request, reference, (input, errors) =>
        {
            var assignee = Text(input.Assignee, "assignee", 100, errors);
            return errors.Count > 0 ? null : by => followUp.AssignAsync(reference, assignee, by, request.HttpContext.RequestAborted);
        }).ConfigureAwait(false);
    }

    [Function(nameof(AddCaseNote))]
    public async Task<Results<Ok<CaseDetailDto>, ValidationProblem, ProblemHttpResult>> AddCaseNote(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/{reference}/notes")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        return await ChangeAsync<NoteInput>(request, reference, (input, errors) =>
        {
            var text = Text(input.Text, "text", 4000, errors);
            if (text is null && !errors.ContainsKey("text"))
            {
                errors["text"] = ["Le texte de la note est obligatoire."];
            }

            var date = input.Date is null ? LocalDates.Today(time) : CaseQuery.Date(input.Date, "date", errors);
            return errors.Count > 0 ? null : by => followUp.AddNoteAsync(reference, text!, date!.Value, by, request.HttpContext.RequestAborted);
        }).ConfigureAwait(false);
    }

    [Function(nameof(OrientCase))]
    public async Task<Results<Ok<CaseDetailDto>, ValidationProblem, ProblemHttpResult>> OrientCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/{reference}/orientations")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var body = await StaffJsonBinder.ReadAsync<OrientationInput>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var comment = Text(body.Value!.Comment, "comment", 2000, errors);
        var partner = body.Value.ActorId is { } id ? await followUp.FindPartnerAsync(id.Trim(), request.HttpContext.RequestAborted).ConfigureAwait(false) : null;
        if (partner is null)
        {
            errors["actorId"] = ["Choisissez une structure partenaire de l'annuaire (identifiant d'acteur inconnu ou absent)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return await RunAsync(request, reference, by => followUp.OrientAsync(reference, partner!, comment, by, request.HttpContext.RequestAborted)).ConfigureAwait(false);
    }

    [Function(nameof(SetCaseNextAction))]
    public async Task<Results<Ok<CaseDetailDto>, ValidationProblem, ProblemHttpResult>> SetCaseNextAction(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Route + "/{reference}/next-action")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        return await ChangeAsync<NextActionInput>(request, reference, (input, errors) =>
        {
            var date = input.Date is null ? null : CaseQuery.Date(input.Date, "date", errors);
            var label = Text(input.Label, "label", 200, errors);
            return errors.Count > 0 ? null : by => followUp.SetNextActionAsync(reference, date, label, by, request.HttpContext.RequestAborted);
        }).ConfigureAwait(false);
    }

    [Function(nameof(DownloadCaseAttachment))]
    public async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadCaseAttachment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/{reference}/attachments/{number}")] HttpRequest request,
        string reference,
        string number)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var opened = IsReference(reference) && int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? await followUp.OpenAttachmentAsync(reference, n, request.HttpContext.RequestAborted).ConfigureAwait(false)
            : null;
        if (opened is null)
        {
            return StaffProblems.NotFound("Cette pièce jointe");
        }

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(opened.Content, opened.ContentType, opened.FileName);
    }

    private async Task<Results<Ok<CaseDetailDto>, ValidationProblem, ProblemHttpResult>> ChangeAsync<TInput>(
        HttpRequest request,
        string reference,
        Func<TInput, Dictionary<string, string[]>, Func<StaffMember, Task<(CaseStateEntity? State, CaseRefusal? Refusal)>>?> validate)
        where TInput : class
    {
        var body = await StaffJsonBinder.ReadAsync<TInput>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var change = validate(body.Value!, errors);
        if (change is null)
        {
            return Problems.Validation(errors);
        }

        return await RunAsync(request, reference, change).ConfigureAwait(false);
    }

    private async Task<Results<Ok<CaseDetailDto>, ValidationProblem, ProblemHttpResult>> RunAsync(
        HttpRequest request,
        string reference,
        Func<StaffMember, Task<(CaseStateEntity? State, CaseRefusal? Refusal)>> change)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!IsReference(reference) || await followUp.DetailAsync(reference, cancellationToken).ConfigureAwait(false) is null)
        {
            return StaffProblems.NotFound(CaseWhat);
        }

        var (_, refusal) = await change(StaffPrincipal.Required(request)).ConfigureAwait(false);
        if (refusal is not null)
        {
            var problem = StaffProblems.Conflict(refusal.Title, refusal.Detail);
            problem.ProblemDetails.Extensions["allowed"] = refusal.Allowed;
            return problem;
        }

        return TypedResults.Ok((await followUp.DetailAsync(reference, cancellationToken).ConfigureAwait(false))!);
    }

    private static string? Text(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > max)
        {
            errors[field] = [$"Ce texte ne doit pas dépasser {max} caractères."];
        }

        return text;
    }

    private static bool IsReference(string reference) => ReferencePattern().IsMatch(reference);

    [GeneratedRegex("^PP-[0-9]{4}-[0-9]{4,6}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
