using ResoSolidaire.Functions.Newsletter.Subscriptions;

namespace ResoSolidaire.Functions.Newsletter.Webhook;

/// <summary>Marks a SendGrid event as handled (deduplication on sg_event_id).</summary>
public sealed class WebhookEventEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Event { get; set; } = "";
}

public sealed record WebhookResult(int Events, int Suppressed, int Duplicates);

/// <summary>
/// SendGrid's signed Event Webhook. Missing requests answer 401, forged or stale ones 403 (SendGrid
/// retries non-2xx for 24 h, which is what a genuine request refused by mistake needs). Bounces, drops,
/// spam reports and unsubscribes suppress the address everywhere.
/// </summary>
public sealed class EventWebhookFunction(EventWebhookVerifier verifier, SuppressionList suppressions, NewsletterStorage storage, EmailHasher emailHasher, ILogger<EventWebhookFunction> logger)
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private static readonly HashSet<string> Suppressing = new(StringComparer.Ordinal) { "bounce", "dropped", "spamreport", "unsubscribe", "group_unsubscribe" };

    [Function(nameof(ReceiveSendGridEvents))]
    public async Task<Results<Ok<WebhookResult>, ProblemHttpResult>> ReceiveSendGridEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "newsletter/sendgrid/events")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = request.HttpContext.RequestAborted;
        if (request.ContentLength > MaxBodyBytes)
        {
            return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "La demande est trop volumineuse.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        if (buffer.Length > MaxBodyBytes)
        {
            return Problems.Problem(StatusCodes.Status413PayloadTooLarge, "La demande est trop volumineuse.");
        }

        var body = buffer.ToArray();
        var verdict = verifier.Verify(request.Headers[EventWebhookVerifier.SignatureHeader], request.Headers[EventWebhookVerifier.TimestampHeader], body);
        switch (verdict)
        {
            case WebhookVerdict.Missing:
                return Problems.Problem(StatusCodes.Status401Unauthorized, "Requête non signée.", "Seuls les événements signés par SendGrid sont acceptés.");
            case WebhookVerdict.Forged:
                logger.LogWarning("SendGrid webhook refused: signature does not verify");
                return Problems.Problem(StatusCodes.Status403Forbidden, "Signature invalide.");
            case WebhookVerdict.Stale:
                logger.LogWarning("SendGrid webhook refused: timestamp outside the accepted window");
                return Problems.Problem(StatusCodes.Status403Forbidden, "Requête expirée.", "L'horodatage de la signature est trop ancien.");
        }

        List<SendGridEvent>? events;
        try
        {
            events = JsonSerializer.Deserialize<List<SendGridEvent>>(body);
        }
        catch (JsonException)
        {
            return Problems.Problem(StatusCodes.Status400BadRequest, "La demande est illisible.", "Le corps doit être un tableau JSON d'événements.");
        }

        var table = await storage.TableAsync(NewsletterStorage.WebhookEvents, ct).ConfigureAwait(false);
        int suppressed = 0, duplicates = 0;
        foreach (var e in events ?? [])
        {
            if (string.IsNullOrEmpty(e.EventId) || e.Event is null)
            {
                continue;
            }

            var key = KeySafe.Encode(e.EventId.Length > 200 ? e.EventId[..200] : e.EventId);
            if ((await table.GetEntityIfExistsAsync<WebhookEventEntity>(key, "", ["Event"], ct).ConfigureAwait(false)).HasValue)
            {
                duplicates++;
                continue;
            }

            if (Suppressing.Contains(e.Event) && emailHasher.HashOrNull(e.Email) is { } emailHash)
            {
                // Suppressing twice is harmless: the mark below is written only once the event is handled.
                await suppressions.SuppressAsync(emailHash, e.Event, "webhook", ct).ConfigureAwait(false);
                suppressed++;
            }

            try
            {
                await table.AddEntityAsync(new WebhookEventEntity { PartitionKey = key, RowKey = "", Event = e.Event }, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                duplicates++;
            }
        }

        logger.LogInformation("SendGrid webhook: {Events} events, {Suppressed} suppressions, {Duplicates} duplicates", events?.Count ?? 0, suppressed, duplicates);
        return TypedResults.Ok(new WebhookResult(events?.Count ?? 0, suppressed, duplicates));
    }

    private sealed record SendGridEvent(
        [property: System.Text.Json.Serialization.JsonPropertyName("email")] string? Email,
        [property: System.Text.Json.Serialization.JsonPropertyName("event")] string? Event,
        [property: System.Text.Json.Serialization.JsonPropertyName("sg_event_id")] string? EventId);
}
