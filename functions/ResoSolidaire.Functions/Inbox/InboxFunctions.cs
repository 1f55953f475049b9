namespace ResoSolidaire.Functions.Inbox;

/// <summary>The contact inbox for staff: list and filter the messages, mark them handled with a note.</summary>
public sealed class InboxFunctions(ContactInbox inbox)
{
    private const string MessageWhat = "Ce message";

    [Function(nameof(ListContactMessages))]
    public async Task<Results<Ok<InboxPage>, ValidationProblem, ProblemHttpResult>> ListContactMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/inbox/messages")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = InboxQuery.Parse(request.Query, errors);
        var wanted = PageRequest.Parse(request.Query, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await inbox.ListAsync(filter, wanted.Size, wanted.Continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new InboxPage(page.Items, page.Continuation));
    }

    [Function(nameof(GetContactMessage))]
    public async Task<Results<Ok<InboxMessageDto>, ProblemHttpResult>> GetContactMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/inbox/messages/{reference}")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var message = await inbox.GetAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return message is null ? StaffProblems.NotFound(MessageWhat) : TypedResults.Ok(message);
    }

    [Function(nameof(MarkContactMessageHandled))]
    public async Task<Results<Ok<InboxMessageDto>, ValidationProblem, ProblemHttpResult>> MarkContactMessageHandled(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "staff/inbox/messages/{reference}/handled")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var body = await StaffJsonBinder.ReadAsync<HandledInput>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        var note = body.Value!.Note?.Trim() is { Length: > 0 } n ? n : null;
        if (note is { Length: > 2000 })
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["note"] = ["La note ne doit pas dépasser 2000 caractères."] });
        }

        var message = await inbox.MarkHandledAsync(reference, note, StaffPrincipal.Required(request), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return message is null ? StaffProblems.NotFound(MessageWhat) : TypedResults.Ok(message);
    }

    [Function(nameof(MarkContactMessageUnhandled))]
    public async Task<Results<Ok<InboxMessageDto>, ProblemHttpResult>> MarkContactMessageUnhandled(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "staff/inbox/messages/{reference}/handled")] HttpRequest request,
        string reference)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var message = await inbox.MarkUnhandledAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return message is null ? StaffProblems.NotFound(MessageWhat) : TypedResults.Ok(message);
    }
}
