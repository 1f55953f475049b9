namespace ResoSolidaire.Functions.Platform.Mail;

public sealed record MailCheckResult(string Outcome, string OutcomeLabel, int Recipients);

/// <summary>
/// Lets staff or an operator check, after a deployment or a key rotation, that mail leaves:
/// a short French message to the staff recipients, through the outbox like every other mail.
/// </summary>
public sealed class MailCheckFunction(MailOutbox outbox, IOptions<MailOptions> options)
{
    [Function(nameof(SendMailCheck))]
    public async Task<Results<Accepted<MailCheckResult>, ProblemHttpResult>> SendMailCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/mail/check")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Team) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var recipients = options.Value.StaffRecipientList;
        var mail = new OutgoingMail(
            recipients,
            "Réso Solidaire : vérification de l'envoi des courriels",
            "<p>Bonjour,</p><p>Ce message confirme que le service d'envoi des courriels de Réso Solidaire fonctionne.</p><p>Aucune action n'est nécessaire.</p>",
            "Bonjour,\n\nCe message confirme que le service d'envoi des courriels de Réso Solidaire fonctionne.\n\nAucune action n'est nécessaire.\n")
        {
            Kind = "mail-check",
        };
        var outcome = await outbox.SendAsync(mail, idempotencyKey: null, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new MailCheckResult(outcome.Code(), outcome.Label(), recipients.Count));
    }
}
