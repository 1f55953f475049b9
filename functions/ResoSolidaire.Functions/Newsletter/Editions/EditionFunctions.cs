namespace ResoSolidaire.Functions.Newsletter.Editions;

/// <summary>Where a test went: the signed-in person's own mailbox, or the staff mailboxes for a script.</summary>
public sealed record TestSendResult(int Recipients, IReadOnlyList<string> To);

/// <summary>Staff endpoints for editions and targeted mailings (a signed-in person of « Équipe »). Nothing leaves without the approve call, unless configured.</summary>
public sealed class EditionFunctions(EditionService editions, ILogger<EditionFunctions> logger)
{
    [Function(nameof(ListEditions))]
    public async Task<Results<Ok<List<EditionView>>, ProblemHttpResult>> ListEditions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/newsletter/editions")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var all = await editions.ListAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(all.Select(EditionService.View).ToList());
    }

    [Function(nameof(CreateEdition))]
    public async Task<Results<Created<EditionView>, ValidationProblem, ProblemHttpResult>> CreateEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/newsletter/editions")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        return await SaveAsync<Created<EditionView>>(request, creating: true, async (input, ct) =>
        {
            var kind = input.Segment is { IsEveryone: false } ? EditionKind.Mailing : EditionKind.Monthly;
            var entity = await editions.CreateAsync(input, kind, StaffPrincipal.Read(request)!, ct).ConfigureAwait(false);
            return TypedResults.Created($"staff/newsletter/editions/{entity.RowKey}", EditionService.View(entity));
        }).ConfigureAwait(false);
    }

    [Function(nameof(GetEdition))]
    public async Task<Results<Ok<EditionView>, ProblemHttpResult>> GetEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/newsletter/editions/{id}")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var entity = await editions.FindAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return entity is null ? NotFound() : TypedResults.Ok(EditionService.View(entity));
    }

    [Function(nameof(UpdateEdition))]
    public async Task<Results<Ok<EditionView>, ValidationProblem, ProblemHttpResult>> UpdateEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "staff/newsletter/editions/{id}")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        return await SaveAsync<Ok<EditionView>>(request, creating: false, async (input, ct) =>
        {
            var (change, entity) = await editions.UpdateAsync(id, input, StaffPrincipal.Read(request)!, ct).ConfigureAwait(false);
            return Refusal(change, entity) is { } problem ? problem : TypedResults.Ok(EditionService.View(entity!));
        }).ConfigureAwait(false);
    }

    [Function(nameof(PreviewEdition))]
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> PreviewEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/newsletter/editions/{id}/preview")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        return await WithEditionAsync(request, id, async (entity, ct) =>
        {
            var rendered = await editions.RenderAsync(entity, ct).ConfigureAwait(false);
            return string.Equals(request.Query["format"], "text", StringComparison.Ordinal)
                ? TypedResults.Text(rendered.Text, "text/plain; charset=utf-8", Encoding.UTF8)
                : TypedResults.Content(rendered.Html, "text/html; charset=utf-8", Encoding.UTF8);
        }).ConfigureAwait(false);
    }

    [Function(nameof(SendTestEdition))]
    public async Task<Results<Accepted<TestSendResult>, ProblemHttpResult>> SendTestEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/newsletter/editions/{id}/test")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        return await WithEditionAsync(request, id, async (entity, ct) =>
        {
            var to = await editions.SendTestAsync(entity, StaffPrincipal.Read(request)!, ct).ConfigureAwait(false);
            return TypedResults.Accepted((string?)null, new TestSendResult(to.Count, to));
        }).ConfigureAwait(false);
    }

    [Function(nameof(ApproveEdition))]
    public async Task<Results<Ok<EditionView>, ProblemHttpResult>> ApproveEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/newsletter/editions/{id}/approve")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var (change, entity) = await editions.ApproveAsync(id, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Refusal(change, entity) is { } problem ? problem : TypedResults.Ok(EditionService.View(entity!));
    }

    /// <summary>The problem a refused change answers with, or null when the change was made.</summary>
    private static ProblemHttpResult? Refusal(EditionChange change, EditionEntity? entity) => change switch
    {
        EditionChange.NotFound => NotFound(),
        EditionChange.Conflict => Problems.Problem(StatusCodes.Status409Conflict, "Cette édition ne peut plus être modifiée ainsi.", $"Son statut est : {EditionStatus.Terms.Label(entity?.Status)}."),
        EditionChange.Stale => Problems.Problem(StatusCodes.Status409Conflict, "Cette édition a été modifiée entre-temps.", $"Par {entity?.UpdatedBy ?? "une autre personne"} : relisez-la, puis recommencez."),
        _ => null,
    };

    private static ProblemHttpResult NotFound() => Problems.Problem(StatusCodes.Status404NotFound, "Édition introuvable.");

    /// <summary>Finds the edition of the route and hands it on; an unknown one is a 404.</summary>
    private async Task<Results<TDone, ProblemHttpResult>> WithEditionAsync<TDone>(HttpRequest request, string id, Func<EditionEntity, CancellationToken, Task<TDone>> use)
        where TDone : IResult
    {
        var ct = request.HttpContext.RequestAborted;
        var entity = await editions.FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return NotFound();
        }

        return await use(entity, ct).ConfigureAwait(false);
    }

    /// <summary>Reads and validates the edition in the body, then saves it; a refused or invalid body is answered as it is.</summary>
    private async Task<Results<TSaved, ValidationProblem, ProblemHttpResult>> SaveAsync<TSaved>(
        HttpRequest request,
        bool creating,
        Func<EditionInput, CancellationToken, Task<Results<TSaved, ValidationProblem, ProblemHttpResult>>> save)
        where TSaved : IResult
    {
        var body = await StaffJsonBinder.ReadAsync<EditionInput>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            logger.LogInformation("Edition body refused with {Status}", body.Problem.StatusCode);
            return body.Problem;
        }

        var ct = request.HttpContext.RequestAborted;
        var errors = await editions.ValidateAsync(body.Value, creating, ct).ConfigureAwait(false);
        return errors.Any ? Problems.Validation(errors.ToDictionary()) : await save(body.Value, ct).ConfigureAwait(false);
    }
}
