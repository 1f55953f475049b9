using ResoSolidaire.Functions.Directory.Vocabularies;

namespace ResoSolidaire.Functions.Directory;

/// <summary>The directory of actors, for staff: create, read, replace (If-Match), delete and list.</summary>
public sealed class ActorFunctions(ActorStore store, VocabularyStore vocabularies, TimeProvider time, ILogger<ActorFunctions> logger)
{
    private const string ActorWhat = "Cet acteur";

    [Function(nameof(ListActors))]
    public async Task<Results<Ok<ActorPage>, ValidationProblem, ProblemHttpResult>> ListActors(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/directory/actors")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var vocabulary = await vocabularies.CurrentAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var filter = ActorQuery.Parse(request.Query, vocabulary, errors);
        var pageSize = PagedQuery.ParsePageSize(request.Query["pageSize"], out var sizeError);
        if (sizeError is not null)
        {
            errors["pageSize"] = [sizeError];
        }

        var continuation = ContinuationText.TryDecode(request.Query["continuation"], errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await store.ListAsync(filter, vocabulary, pageSize!.Value, continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new ActorPage(page.Items.Select(a => ActorMapping.ToDto(a, vocabulary)).ToList(), page.Continuation));
    }

    [Function(nameof(GetActor))]
    public async Task<Results<Ok<ActorDto>, ProblemHttpResult>> GetActor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/directory/actors/{id}")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var actor = await store.GetAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (actor is null)
        {
            return StaffProblems.NotFound(ActorWhat);
        }

        Preconditions.WriteETag(request.HttpContext.Response, actor.ETag);
        var vocabulary = await vocabularies.CurrentAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(ActorMapping.ToDto(actor, vocabulary));
    }

    [Function(nameof(CreateActor))]
    public async Task<Results<Created<ActorDto>, ValidationProblem, ProblemHttpResult>> CreateActor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/directory/actors")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var body = await StaffJsonBinder.ReadAsync<ActorInput>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        var vocabulary = await vocabularies.CurrentAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var (fields, errors) = ActorRules.Validate(body.Value!, vocabulary, LocalDates.Today(time));
        if (fields is null)
        {
            return Problems.Validation(errors);
        }

        var result = await store.CreateAsync(fields, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (result.Outcome == StoreOutcome.DuplicateSiret)
        {
            return DuplicateSiret(result.ConflictingId!);
        }

        var actor = result.Actor!;
        logger.LogInformation("Actor {ActorId} created", actor.RowKey);
        Preconditions.WriteETag(request.HttpContext.Response, actor.ETag);
        return TypedResults.Created($"/api/staff/directory/actors/{actor.RowKey}", ActorMapping.ToDto(actor, vocabulary));
    }

    [Function(nameof(ReplaceActor))]
    public async Task<Results<Ok<ActorDto>, ValidationProblem, ProblemHttpResult>> ReplaceActor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "staff/directory/actors/{id}")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        if (Preconditions.IfMatch(request) is not { } ifMatch)
        {
            return StaffProblems.PreconditionRequired();
        }

        var body = await StaffJsonBinder.ReadAsync<ActorInput>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        var vocabulary = await vocabularies.CurrentAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var (fields, errors) = ActorRules.Validate(body.Value!, vocabulary, LocalDates.Today(time));
        if (fields is null)
        {
            return Problems.Validation(errors);
        }

        var result = await store.ReplaceAsync(id, fields, ifMatch, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case StoreOutcome.NotFound:
                return StaffProblems.NotFound(ActorWhat);
            case StoreOutcome.Stale:
                return StaffProblems.PreconditionFailed();
            case StoreOutcome.DuplicateSiret:
                return DuplicateSiret(result.ConflictingId!);
            default:
                logger.LogInformation("Actor {ActorId} updated", id);
                Preconditions.WriteETag(request.HttpContext.Response, result.Actor!.ETag);
                return TypedResults.Ok(ActorMapping.ToDto(result.Actor, vocabulary));
        }
    }

    [Function(nameof(DeleteActor))]
    public async Task<Results<NoContent, ProblemHttpResult>> DeleteActor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "staff/directory/actors/{id}")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var outcome = await store.DeleteAsync(id, Preconditions.IfMatch(request), request.HttpContext.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case StoreOutcome.NotFound:
                return StaffProblems.NotFound(ActorWhat);
            case StoreOutcome.Stale:
                return StaffProblems.PreconditionFailed();
            default:
                logger.LogInformation("Actor {ActorId} deleted", id);
                return TypedResults.NoContent();
        }
    }

    private static ProblemHttpResult DuplicateSiret(string conflictingId)
    {
        var problem = StaffProblems.Conflict(
            "Un autre acteur porte déjà ce SIRET.",
            $"L'acteur {conflictingId} a le même SIRET : modifiez plutôt sa fiche.");
        problem.ProblemDetails.Extensions["actorId"] = conflictingId;
        return problem;
    }
}
