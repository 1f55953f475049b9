namespace ResoSolidaire.Functions.Agenda;

public sealed record RejectEventRequest(string? Reason);

/// <summary>The public agenda (proposals, approved events) and its moderation by staff.</summary>
public sealed class AgendaFunctions(AgendaService agenda, EventProposalForm form, FormPipeline pipeline)
{
    [Function(nameof(ProposeEvent))]
    public Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> ProposeEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "agenda/events")] HttpRequest request) =>
        pipeline.HandleAsync(request, form);

    [Function(nameof(ListAgenda))]
    public async Task<Ok<IReadOnlyList<AgendaEvent>>> ListAgenda(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "agenda/events")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TypedResults.Ok(await agenda.PublicAgendaAsync(request.HttpContext.RequestAborted).ConfigureAwait(false));
    }

    [Function(nameof(ListAgendaForStaff))]
    public async Task<Results<Ok<IReadOnlyList<AgendaEventForStaff>>, ValidationProblem, ProblemHttpResult>> ListAgendaForStaff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/agenda/events")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var code = request.Query["status"].ToString();
        var status = AgendaStatus.Terms.StoredOf(code);
        if (code.Length > 0 && status is null)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["status"] = [$"Valeurs possibles : {AgendaStatus.Terms.Choices}."] });
        }

        return TypedResults.Ok(await agenda.ListForStaffAsync(status, request.HttpContext.RequestAborted).ConfigureAwait(false));
    }

    [Function(nameof(ApproveEvent))]
    public async Task<Results<Ok<AgendaEvent>, ProblemHttpResult>> ApproveEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/agenda/events/{id}/approve")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var (outcome, entity) = await agenda.ModerateAsync(id, approve: true, reason: null, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Refusal(outcome, entity) is { } refusal ? refusal : TypedResults.Ok(AgendaEvent.From(entity!));
    }

    [Function(nameof(RejectEvent))]
    public async Task<Results<Ok<AgendaEvent>, ValidationProblem, ProblemHttpResult>> RejectEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/agenda/events/{id}/reject")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var body = await StaffJsonBinder.ReadAsync<RejectEventRequest>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        var errors = new FieldErrors();
        var reason = FieldRules.Required(errors, "reason", body.Value.Reason, 2000, "Le motif", minLength: 3, multiline: true);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var (outcome, entity) = await agenda.ModerateAsync(id, approve: false, reason, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Refusal(outcome, entity) is { } refusal ? refusal : TypedResults.Ok(AgendaEvent.From(entity!));
    }

    /// <summary>The problem to answer when the moderation did not happen; null when it did.</summary>
    private static ProblemHttpResult? Refusal(ModerationOutcome outcome, AgendaEventEntity? entity) => outcome switch
    {
        ModerationOutcome.NotFound => Problems.Problem(StatusCodes.Status404NotFound, "Événement introuvable."),
        ModerationOutcome.AlreadyModerated => Problems.Problem(StatusCodes.Status409Conflict, "Cet événement a déjà été modéré.", $"Son statut est : {AgendaStatus.Terms.Label(entity!.Status)}."),
        _ => null,
    };
}
