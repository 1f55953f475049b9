namespace ResoSolidaire.Functions.Newsletter.Webhook;

public sealed record WebhookResult(int Events, int Suppressed, int Duplicates);

/// <summary>
/// SendGrid's signed Event Webhook. Missing requests answer 401, forged or stale ones 403 (SendGrid
/// retries non-2xx for 24 h, which is what a genuine request refused by mistake needs); the events of a
/// genuine one go to <see cref="SendGridEventRecorder"/>.
/// </summary>
public sealed class EventWebhookFunction(EventWebhookVerifier verifier, SendGridEventRecorder recorder, ILogger<EventWebhookFunction> logger)
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

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

        var recorded = await recorder.RecordAsync(body, ct).ConfigureAwait(false);
        return recorded is null
            ? Problems.Problem(StatusCodes.Status400BadRequest, "La demande est illisible.", "Le corps doit être un tableau JSON d'événements.")
            : TypedResults.Ok(recorded);
    }
}
