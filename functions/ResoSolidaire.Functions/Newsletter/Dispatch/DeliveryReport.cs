using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Newsletter.Dispatch;

/// <summary>
/// The report of a delivery: as staff read it (batches, and the recipients of failed and uncertain ones), and as
/// it is mailed to them when the delivery completes (sent, failed, uncertain, suppressed).
/// </summary>
public sealed class DeliveryReport(MailOutbox outbox, IOptions<MailOptions> mailOptions, EditionService editions, NewsletterStorage storage)
{
    /// <summary>The delivery of an edition, or null when there is no such edition.</summary>
    public async Task<DeliveryView?> ViewAsync(string editionId, CancellationToken cancellationToken)
    {
        var edition = await editions.FindAsync(editionId, cancellationToken).ConfigureAwait(false);
        if (edition is null)
        {
            return null;
        }

        var batches = new List<BatchEntity>();
        var toCheck = new List<RecipientView>();
        if (edition.LedgerKey is { } ledgerKey)
        {
            var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, cancellationToken).ConfigureAwait(false);
            await foreach (var b in batchesTable.QueryAsync<BatchEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ledgerKey}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                batches.Add(b);
            }

            var ledger = await storage.TableAsync(NewsletterStorage.Ledger, cancellationToken).ConfigureAwait(false);
            foreach (var b in batches.Where(b => b.Status is BatchStatus.Failed or BatchStatus.Uncertain or BatchStatus.Claimed))
            {
                var partition = BatchEntity.LedgerPartition(ledgerKey, b.RowKey);
                await foreach (var r in ledger.QueryAsync<LedgerEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    if (r.Outcome != LedgerEntity.SuppressedOutcome)
                    {
                        toCheck.Add(new RecipientView(r.Email, b.RowKey, BatchStatus.Terms.Code(b.Status), BatchStatus.Terms.Label(b.Status)));
                    }
                }
            }
        }

        var views = batches.OrderBy(b => b.RowKey, StringComparer.Ordinal).Select(BatchView.Of).ToList();
        return new DeliveryView(edition.RowKey, EditionStatus.Terms.Code(edition.Status), EditionStatus.Terms.Label(edition.Status), EditionService.View(edition).Counts, views, toCheck);
    }

    /// <summary>
    /// The editions whose delivery has failed or uncertain batches now, with how many: what staff must look at. Only
    /// the current freeze of each edition counts, and not a delivery whose recipients are already purged.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> ProblemsAsync(CancellationToken cancellationToken)
    {
        var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, cancellationToken).ConfigureAwait(false);
        var byLedger = new Dictionary<string, int>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"Status eq {BatchStatus.Failed} or Status eq {BatchStatus.Uncertain}");
        await foreach (var b in batchesTable.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            byLedger[b.PartitionKey] = byLedger.GetValueOrDefault(b.PartitionKey) + 1;
        }

        if (byLedger.Count == 0)
        {
            return new Dictionary<string, int>(StringComparer.Ordinal);
        }

        var all = await editions.ListAsync(cancellationToken).ConfigureAwait(false);
        return all
            .Where(e => e.LedgerKey is { } key && byLedger.ContainsKey(key) && e.LedgerPurgedAt is null)
            .ToDictionary(e => e.RowKey, e => byLedger[e.LedgerKey!], StringComparer.Ordinal);
    }

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
