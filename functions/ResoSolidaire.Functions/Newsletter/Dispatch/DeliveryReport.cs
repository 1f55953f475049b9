using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Newsletter.Dispatch;

/// <summary>The staff report mailed when an edition's delivery completes: sent, failed, uncertain, suppressed.</summary>
public sealed class DeliveryReport(MailOutbox outbox, IOptions<MailOptions> mailOptions)
{
    public async Task SendAsync(EditionEntity edition, IReadOnlyList<BatchEntity> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edition);
        ArgumentNullException.ThrowIfNull(batches);
        var fr = CultureInfo.GetCultureInfo("fr-FR");
        var problems = batches.Where(b => b.Status is BatchStatus.Failed or BatchStatus.Uncertain).ToList();
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Bonjour,\n\nL'envoi « {edition.Subject} » est terminé.\n\n")
            .Append(fr, $"Envoyés : {edition.Sent}\nEn échec : {edition.Failed}\nIncertains : {edition.Uncertain}\nExclus (désinscrits, adresses en erreur) : {edition.Suppressed}\n\n");
        if (problems.Count > 0)
        {
            text.Append("Lots à vérifier (l'outil de l'équipe permet de les renvoyer) :\n");
            foreach (var b in problems)
            {
                text.Append(fr, $"- lot {b.RowKey} ({b.Count - b.Suppressed} destinataires) : {BatchStatus.Terms.Label(b.Status)} – {b.LastError}\n");
            }

            text.Append('\n');
        }
        else
        {
            text.Append("Aucun lot n'est en échec ni incertain.\n\n");
        }

        var plain = text.ToString();
        var html = "<pre style=\"font-family:Arial,Helvetica,sans-serif;white-space:pre-wrap\">" + Pages.E(plain) + "</pre>";
        await outbox.SendAsync(
            new OutgoingMail(mailOptions.Value.StaffRecipientList, $"Rapport d'envoi : {edition.Subject}", html, plain) { Kind = "newsletter-report" },
            string.Create(CultureInfo.InvariantCulture, $"newsletter-report-{edition.RowKey}-{edition.Completions}"),
            cancellationToken).ConfigureAwait(false);
    }
}
