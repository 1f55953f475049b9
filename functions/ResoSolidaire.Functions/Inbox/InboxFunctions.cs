using ResoSolidaire.Functions.Contact;

namespace ResoSolidaire.Functions.Inbox;

/// <summary>The contact inbox for staff: list and filter the messages, mark them handled with a note.</summary>
public sealed class InboxFunctions(ContactInbox inbox)
{
    private const string MessageWhat = "Ce message";

    [Function(nameof(ListContactMessages))]
    public async Task<Results<Ok<InboxPage>, ValidationProblem>> ListContactMessages(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/inbox/messages")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? Value(string name) => request.Query[name].ToString().Trim() is { Length: > 0 } v ? v : null;
        var topic = Value("topic");
        if (topic is not null && !ContactForm.Topics.ContainsKey(topic))
        {
            errors["topic"] = [$"Sujet inconnu : « {topic} » (valeurs possibles : {string.Join(", ", ContactForm.Topics.Keys)})."];
        }

        DateOnly? Date(string name)
        {
            var text = Value(name);
            var date = LocalDates.Parse(text);
            if (text is not null && date is null)
            {
                errors[name] = ["La date s'écrit AAAA-MM-JJ (par exemple 2026-03-15)."];
            }

            return date;
        }

        var from = Date("from");
        var to = Date("to");
        bool? handled = null;
        if (Value("handled") is { } handledText)
        {
            handled = YesNo.Parse(handledText);
            if (handled is null)
            {
                errors["handled"] = ["Le filtre handled vaut true (traités) ou false (à traiter)."];
            }
        }

        var pageSize = PagedQuery.ParsePageSize(Value("pageSize"), out var sizeError);
        if (sizeError is not null)
        {
            errors["pageSize"] = [sizeError];
        }

        var continuation = ContinuationText.TryDecode(Value("continuation"), errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await inbox.ListAsync(new InboxFilter(topic, from, to, handled), pageSize!.Value, continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new InboxPage(page.Items, page.Continuation));
    }

    [Function(nameof(GetContactMessage))]
    public async Task<Results<Ok<InboxMessageDto>, ProblemHttpResult>> GetContactMessage(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/inbox/messages/{reference}")] HttpRequest request,
        string reference)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = await inbox.GetAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return message is null ? StaffProblems.NotFound(MessageWhat) : TypedResults.Ok(message);
    }

    [Function(nameof(MarkContactMessageHandled))]
    public async Task<Results<Ok<InboxMessageDto>, ValidationProblem, ProblemHttpResult>> MarkContactMessageHandled(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "staff/inbox/messages/{reference}/handled")] HttpRequest request,
        string reference)
    {
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

        var message = await inbox.MarkHandledAsync(reference, note, StaffPrincipal.Of(request), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return message is null ? StaffProblems.NotFound(MessageWhat) : TypedResults.Ok(message);
    }

    [Function(nameof(MarkContactMessageUnhandled))]
    public async Task<Results<Ok<InboxMessageDto>, ProblemHttpResult>> MarkContactMessageUnhandled(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "staff/inbox/messages/{reference}/handled")] HttpRequest request,
        string reference)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = await inbox.MarkUnhandledAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return message is null ? StaffProblems.NotFound(MessageWhat) : TypedResults.Ok(message);
    }
}
