using Microsoft.AspNetCore.Http.HttpResults;

namespace ResoSolidaire.MailSink.Api;

/// <summary>The JSON API tests and tools use to read what was sent and to plan faults.</summary>
internal static class TestApi
{
    private const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapTestApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api");
        api.MapGet("/messages", ListMessages);
        api.MapGet("/messages/{id}", GetMessage);
        api.MapDelete("/messages", ClearMessages);
        api.MapGet("/faults", GetFaults);
        api.MapPost("/faults", PlanFaults);
        api.MapDelete("/faults", ClearFaults);
        api.MapGet("/health", Health);
        return routes;
    }

    /// <summary>Newest first; <paramref name="to"/> matches any to, cc or bcc address.</summary>
    private static Results<Ok<MessageSummary[]>, ValidationProblem> ListMessages(MailStore store, string? to, bool? valid, int? limit)
    {
        if (limit is < 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be at least 1."] });
        }

        var messages = store.Snapshot().Reverse()
            .Where(m => to is null || m.IsAddressedTo(to))
            .Where(m => valid is null || m.IsValid == valid)
            .Take(limit ?? DefaultLimit)
            .Select(MessageSummary.Of)
            .ToArray();
        return TypedResults.Ok(messages);
    }

    private static Results<Ok<MessageDetail>, ProblemHttpResult> GetMessage(MailStore store, string id) =>
        store.Find(id) is { } mail
            ? TypedResults.Ok(MessageDetail.Of(mail))
            : TypedResults.Problem($"No kept message has id {id}.", statusCode: StatusCodes.Status404NotFound);

    private static NoContent ClearMessages(MailStore store)
    {
        store.Clear();
        return TypedResults.NoContent();
    }

    private static Ok<FaultState> GetFaults(FaultPlan faults) => TypedResults.Ok(FaultState.Of(faults));

    private static Results<Ok<FaultState>, ValidationProblem> PlanFaults(FaultPlan faults, FaultRequest request)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (request.LatencyMs is { } latency)
        {
            faults.Latency = TimeSpan.FromMilliseconds(latency);
        }

        if (request.Status is { } status)
        {
            var retryAfter = request.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            if (request.Count is { } count)
            {
                faults.FailNext(status, count, retryAfter);
            }
            else
            {
                faults.FailUntilCleared(status, retryAfter);
            }
        }

        return TypedResults.Ok(FaultState.Of(faults));
    }

    private static NoContent ClearFaults(FaultPlan faults)
    {
        faults.Clear();
        return TypedResults.NoContent();
    }

    private static Ok<HealthBody> Health(MailStore store, FaultPlan faults) =>
        TypedResults.Ok(new HealthBody("ok", store.TotalAccepted, store.TotalRecipients, store.TotalRefused, faults.TotalFaulted, store.Count, store.Capacity));
}

internal sealed record MessageSummary(
    string Id, DateTimeOffset ReceivedAt, bool Valid, string From, string Subject, IReadOnlyList<string> To,
    int PersonalizationCount, int RecipientCount)
{
    public static MessageSummary Of(ReceivedMail mail) => new(
        mail.Id, mail.ReceivedAt, mail.IsValid, mail.From, mail.Subject,
        [.. mail.AllRecipients], mail.Personalizations.Count, mail.RecipientCount);
}

internal sealed record PersonalizationBody(
    IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<string> Bcc, string? From, string? Subject,
    IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> CustomArgs,
    IReadOnlyDictionary<string, string> Substitutions, string? DynamicTemplateData, DateTimeOffset? SendAt)
{
    public static PersonalizationBody Of(ReceivedPersonalization p) =>
        new(p.To, p.Cc, p.Bcc, p.From, p.Subject, p.Headers, p.CustomArgs, p.Substitutions, p.DynamicTemplateData, p.SendAt);
}

internal sealed record MessageDetail(
    string Id, DateTimeOffset ReceivedAt, bool Valid, IReadOnlyList<SendGridError> Errors, string From, string? FromName,
    string? ReplyTo, string Subject, string? MessageSubject, IReadOnlyList<PersonalizationBody> Personalizations, string? Html, string? Text,
    IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> CustomArgs, IReadOnlyList<string> Categories,
    IReadOnlyList<string> AttachmentNames, string? TemplateId, DateTimeOffset? SendAt, string RawJson)
{
    public static MessageDetail Of(ReceivedMail m) => new(
        m.Id, m.ReceivedAt, m.IsValid, m.Errors, m.From, m.FromName, m.ReplyTo, m.Subject, m.MessageSubject,
        [.. m.Personalizations.Select(PersonalizationBody.Of)], m.Html, m.Text, m.Headers, m.CustomArgs, m.Categories,
        m.AttachmentNames, m.TemplateId, m.SendAt, m.RawJson);
}

/// <summary>Body of <c>POST /api/faults</c>: a status (429 or 5xx) for <c>count</c> sends, or until cleared when count is absent; and/or a latency.</summary>
internal sealed record FaultRequest(int? Status, int? Count, double? RetryAfterSeconds, int? LatencyMs)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Status is null && LatencyMs is null)
        {
            errors["status"] = ["Give a status (429 or 5xx), a latencyMs, or both."];
        }

        if (Status is { } status && !FaultPlan.IsSupported(status))
        {
            errors["status"] = ["Only 429 and 5xx faults are simulated."];
        }

        if (Count is < 1)
        {
            errors["count"] = ["count must be at least 1; leave it out to fail until cleared."];
        }

        if (RetryAfterSeconds is < 0 or > 86400)
        {
            errors["retryAfterSeconds"] = ["retryAfterSeconds must be between 0 and 86400."];
        }

        if (LatencyMs is < 0 || LatencyMs > FaultPlan.MaxLatency.TotalMilliseconds)
        {
            errors["latencyMs"] = [$"latencyMs must be between 0 and {FaultPlan.MaxLatency.TotalMilliseconds}."];
        }

        return errors;
    }
}

internal sealed record FaultState(int? Status, int? Remaining, bool UntilCleared, double RetryAfterSeconds, double LatencyMs, int TotalFaulted)
{
    public static FaultState Of(FaultPlan faults)
    {
        var status = faults.StatusCode;
        var remaining = faults.Remaining;
        return new(status, status is null ? 0 : remaining, status is not null && remaining is null,
            faults.RetryAfter.TotalSeconds, faults.Latency.TotalMilliseconds, faults.TotalFaulted);
    }
}

internal sealed record HealthBody(string Status, long TotalAccepted, long TotalRecipients, long TotalRefused, int TotalFaulted, int Stored, int Capacity);
