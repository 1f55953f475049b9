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
/// One SendGrid event of an edition's mailing, for its counts (partition: the edition; row: the event's id). It
/// holds no address: the activity report counts delivered, bounced and unsubscribed per edition from these rows.
/// </summary>
public sealed class DeliveryEventEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Event { get; set; } = "";

    public DateTimeOffset? At { get; set; }
}

/// <summary>
/// Records the events of a verified SendGrid webhook call, each once: bounces, drops, spam reports and
/// unsubscribes suppress the address everywhere.
/// </summary>
public sealed class SendGridEventRecorder(SuppressionList suppressions, AudienceChanges audience, NewsletterStorage storage, EmailHasher emailHasher, ILogger<SendGridEventRecorder> logger)
{
    private static readonly HashSet<string> Suppressing = new(StringComparer.Ordinal) { "bounce", "dropped", "spamreport", "unsubscribe", "group_unsubscribe" };

    /// <summary>The events an edition's report counts (opens and clicks are not tracked).</summary>
    private static readonly HashSet<string> Counted = new(StringComparer.Ordinal) { "delivered", "deferred", "bounce", "dropped", "spamreport", "unsubscribe", "group_unsubscribe" };

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

            if (Counted.Contains(e.Event) && !string.IsNullOrEmpty(e.Edition) && e.Edition.Length <= 100)
            {
                // Upserted under the event's own key: recorded twice (a retry before the mark below), counted once.
                var deliveries = await storage.TableAsync(NewsletterStorage.DeliveryEvents, cancellationToken).ConfigureAwait(false);
                await deliveries.UpsertEntityAsync(
                    new DeliveryEventEntity { PartitionKey = KeySafe.Encode(e.Edition), RowKey = key, Event = e.Event, At = e.Timestamp is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null },
                    TableUpdateMode.Replace,
                    cancellationToken).ConfigureAwait(false);
            }

            if (Suppressing.Contains(e.Event) && emailHasher.HashOrNull(e.Email) is { } emailHash)
            {
                // Suppressing twice is harmless: the mark below is written only once the event is handled.
                await audience.RecordLossAsync(emailHash, e.Event, suppressions, cancellationToken).ConfigureAwait(false);
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

    /// <summary>An event as SendGrid posts it; the mail's custom_args (edition, batch) come as top-level members.</summary>
    private sealed record SendGridEvent(
        [property: System.Text.Json.Serialization.JsonPropertyName("email")] string? Email,
        [property: System.Text.Json.Serialization.JsonPropertyName("event")] string? Event,
        [property: System.Text.Json.Serialization.JsonPropertyName("sg_event_id")] string? EventId,
        [property: System.Text.Json.Serialization.JsonPropertyName("edition")] string? Edition = null,
        [property: System.Text.Json.Serialization.JsonPropertyName("timestamp")] long? Timestamp = null);
}
