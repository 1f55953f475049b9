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

/// <summary>
/// Records the events of a verified SendGrid webhook call, each once: bounces, drops, spam reports and
/// unsubscribes suppress the address everywhere.
/// </summary>
public sealed class SendGridEventRecorder(SuppressionList suppressions, NewsletterStorage storage, EmailHasher emailHasher, ILogger<SendGridEventRecorder> logger)
{
    private static readonly HashSet<string> Suppressing = new(StringComparer.Ordinal) { "bounce", "dropped", "spamreport", "unsubscribe", "group_unsubscribe" };

    /// <summary>What the events did, or null when the body is not a JSON array of events.</summary>
    public async Task<WebhookResult?> RecordAsync(byte[] body, CancellationToken cancellationToken)
    {
        List<SendGridEvent>? events;
        try
        {
            events = JsonSerializer.Deserialize<List<SendGridEvent>>(body);
        }
        catch (JsonException)
        {
            return null;
        }

        var table = await storage.TableAsync(NewsletterStorage.WebhookEvents, cancellationToken).ConfigureAwait(false);
        int suppressed = 0, duplicates = 0;
        foreach (var e in events ?? [])
        {
            if (string.IsNullOrEmpty(e.EventId) || e.Event is null)
            {
                continue;
            }

            var key = KeySafe.Encode(e.EventId.Length > 200 ? e.EventId[..200] : e.EventId);
            if ((await table.GetEntityIfExistsAsync<WebhookEventEntity>(key, "", ["Event"], cancellationToken).ConfigureAwait(false)).HasValue)
            {
                duplicates++;
                continue;
            }

            if (Suppressing.Contains(e.Event) && emailHasher.HashOrNull(e.Email) is { } emailHash)
            {
                // Suppressing twice is harmless: the mark below is written only once the event is handled.
                await suppressions.SuppressAsync(emailHash, e.Event, "webhook", cancellationToken).ConfigureAwait(false);
                suppressed++;
            }

            try
            {
                await table.AddEntityAsync(new WebhookEventEntity { PartitionKey = key, RowKey = "", Event = e.Event }, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                duplicates++;
            }
        }

        logger.LogInformation("SendGrid webhook: {Events} events, {Suppressed} suppressions, {Duplicates} duplicates", events?.Count ?? 0, suppressed, duplicates);
        return new WebhookResult(events?.Count ?? 0, suppressed, duplicates);
    }

    private sealed record SendGridEvent(
        [property: System.Text.Json.Serialization.JsonPropertyName("email")] string? Email,
        [property: System.Text.Json.Serialization.JsonPropertyName("event")] string? Event,
        [property: System.Text.Json.Serialization.JsonPropertyName("sg_event_id")] string? EventId);
}
