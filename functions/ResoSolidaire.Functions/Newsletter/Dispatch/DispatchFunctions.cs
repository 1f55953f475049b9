using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Newsletter.Dispatch;

/// <summary>A batch as staff see it: <c>lastError</c> is a French sentence (the technical detail is in the logs only).</summary>
public sealed record BatchView(string Batch, string Status, string StatusLabel, int Recipients, int Sent, int Suppressed, int Attempts, int Resends, DateTimeOffset? SentAt, int? LastStatusCode, string? LastError)
{
    public static BatchView Of(BatchEntity b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new(b.RowKey, BatchStatus.Terms.Code(b.Status), BatchStatus.Terms.Label(b.Status), b.Count, b.SentCount, b.Suppressed, b.Attempts, b.Resends, b.SentAt, b.LastStatusCode, b.LastError)
        {
            ResentBy = b.ResentBy,
            ResentAt = b.ResentAt,
        };
    }

    /// <summary>Who last queued the batch again, and when.</summary>
    public string? ResentBy { get; init; }

    public DateTimeOffset? ResentAt { get; init; }

    /// <summary>The batch's number as staff read it: « 1 » for the first.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Number => int.TryParse(Batch, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n + 1 : 0;

    /// <summary>Recipients the batch's outcome applies to: those not left out at send time.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Concerned => Recipients - Suppressed;
}

public sealed record RecipientView(string Email, string Batch, string Status, string StatusLabel);

/// <summary>The delivery of an edition as staff see it: its batches, the recipients of failed and uncertain ones.</summary>
public sealed record DeliveryView(string EditionId, string Status, string StatusLabel, EditionCounts Counts, IReadOnlyList<BatchView> Batches, IReadOnlyList<RecipientView> ToCheck);

/// <summary>The dispatch timer, and the staff endpoints that show a delivery and resend a failed or uncertain batch.</summary>
public sealed class DispatchFunctions(NewsletterDispatcher dispatcher, DeliveryReport report, BatchResend resend)
{
    [Function(nameof(DispatchNewsletter))]
    public async Task DispatchNewsletter([TimerTrigger("%NewsletterDispatchSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await dispatcher.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    [Function(nameof(GetDelivery))]
    public async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetDelivery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/newsletter/editions/{id}/delivery")] HttpRequest request,
        string id)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var delivery = await report.ViewAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return delivery is null ? Problems.Problem(StatusCodes.Status404NotFound, "Envoi introuvable.") : TypedResults.Ok(delivery);
    }

    /// <summary>Staff decide to send a failed or uncertain batch again (for an uncertain one, accepting a possible second copy).</summary>
    [Function(nameof(ResendBatch))]
    public async Task<Results<Accepted<BatchView>, ProblemHttpResult>> ResendBatch(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/newsletter/editions/{id}/batches/{batch}/resend")] HttpRequest request,
        string id,
        string batch)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var (outcome, entity) = await resend.ResendAsync(id, batch, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome switch
        {
            ResendOutcome.NoDelivery => Problems.Problem(StatusCodes.Status404NotFound, "Envoi introuvable."),
            ResendOutcome.NoBatch => Problems.Problem(StatusCodes.Status404NotFound, "Lot introuvable."),
            ResendOutcome.Purged => Problems.Problem(StatusCodes.Status409Conflict, "Ce lot ne peut plus être renvoyé.", "Ses destinataires ont été effacés au terme de leur durée de conservation ; les chiffres de l'envoi restent."),
            ResendOutcome.NotResendable => Problems.Problem(StatusCodes.Status409Conflict, "Seul un lot en échec ou incertain peut être renvoyé.", $"Ce lot est : {BatchStatus.Terms.Label(entity!.Status)}."),
            ResendOutcome.Changed => Problems.Problem(StatusCodes.Status409Conflict, "L'envoi a changé entre-temps.", "Rechargez l'état de l'envoi puis réessayez."),
            _ => TypedResults.Accepted((string?)null, BatchView.Of(entity!)),
        };
    }
}
