namespace ResoSolidaire.Functions.Newsletter.Editions;

public sealed record TestSendResult(int Recipients);

/// <summary>Staff endpoints for editions and targeted mailings (function key). Nothing leaves without the approve call, unless configured.</summary>
public sealed class EditionFunctions(EditionService editions, ILogger<EditionFunctions> logger)
{
    [Function(nameof(ListEditions))]
    public async Task<IResult> ListEditions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/newsletter/editions")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await editions.ListAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(all.Select(EditionService.View).ToList());
    }

    [Function(nameof(CreateEdition))]
    public async Task<IResult> CreateEdition(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "staff/newsletter/editions")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (input, error) = await ReadAsync(request, creating: true).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var kind = input!.Segment is { IsEveryone: false } ? EditionKind.Mailing : EditionKind.Monthly;
        var entity = await editions.CreateAsync(input, kind, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created($"staff/newsletter/editions/{entity.RowKey}", EditionService.View(entity));
    }

    [Function(nameof(GetEdition))]
    public async Task<IResult> GetEdition(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/newsletter/editions/{id}")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = await editions.FindAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return entity is null ? NotFound() : TypedResults.Ok(EditionService.View(entity));
    }

    [Function(nameof(UpdateEdition))]
    public async Task<IResult> UpdateEdition(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "staff/newsletter/editions/{id}")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (input, error) = await ReadAsync(request, creating: false).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var (change, entity) = await editions.UpdateAsync(id, input!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Changed(change, entity);
    }

    [Function(nameof(PreviewEdition))]
    public async Task<IResult> PreviewEdition(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/newsletter/editions/{id}/preview")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = await editions.FindAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (entity is null)
        {
            return NotFound();
        }

        var rendered = await editions.RenderAsync(entity, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return string.Equals(request.Query["format"], "text", StringComparison.Ordinal)
            ? TypedResults.Text(rendered.Text, "text/plain; charset=utf-8", Encoding.UTF8)
            : TypedResults.Content(rendered.Html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    [Function(nameof(SendTestEdition))]
    public async Task<IResult> SendTestEdition(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "staff/newsletter/editions/{id}/test")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = await editions.FindAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (entity is null)
        {
            return NotFound();
        }

        var count = await editions.SendTestAsync(entity, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new TestSendResult(count));
    }

    [Function(nameof(ApproveEdition))]
    public async Task<IResult> ApproveEdition(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "staff/newsletter/editions/{id}/approve")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (change, entity) = await editions.ApproveAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Changed(change, entity);
    }

    private static IResult Changed(EditionChange change, EditionEntity? entity) => change switch
    {
        EditionChange.NotFound => NotFound(),
        EditionChange.Conflict => Problems.Problem(StatusCodes.Status409Conflict, "Cette édition ne peut plus être modifiée ainsi.", $"Son statut est : {EditionStatus.Terms.Label(entity?.Status)}."),
        _ => TypedResults.Ok(EditionService.View(entity!)),
    };

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound() => Problems.Problem(StatusCodes.Status404NotFound, "Édition introuvable.");

    private async Task<(EditionInput?, IResult?)> ReadAsync(HttpRequest request, bool creating)
    {
        var body = await StaffJsonBinder.ReadAsync<EditionInput>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            logger.LogInformation("Edition body refused with {Status}", body.Problem.StatusCode);
            return (null, body.Problem);
        }

        var input = body.Value;
        var errors = await editions.ValidateAsync(input, creating, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return errors.Any ? (null, Problems.Validation(errors.ToDictionary())) : (input, null);
    }
}
