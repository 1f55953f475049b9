using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Newsletter.Webhook;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>
/// The newsletter in the activity report: the monthly editions and targeted mailings sent in the period (their send
/// time in it), their recipients and what SendGrid's Event Webhook said of them (delivered, failed, unsubscribed),
/// and the subscribers gained and lost in the period.
/// </summary>
public sealed class NewsletterFigures(NewsletterStorage storage, AudienceChanges audience) : IActivityFigures
{
    private static readonly string[] EditionColumns = ["Destinataires", "Délivrés", "En échec", "Désinscriptions"];

    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["unsubscribe"] = "Désinscription",
        ["group_unsubscribe"] = "Désinscription",
        ["bounce"] = "Adresse en échec",
        ["dropped"] = "Adresse en échec",
        ["spamreport"] = "Signalement comme indésirable",
        [NewsletterPersonalData.ErasureReason] = "Effacement des données",
    };

    public int Order => 40;

    public async Task<ReportSection> ComputeAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var table = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {EditionEntity.Partition} and SendAtUtc ge {period.Start} and SendAtUtc lt {period.End}");
        var editions = new List<EditionEntity>();
        await foreach (var edition in TablePages.RowsAsync<EditionEntity>(table, filter, ["RowKey", "Kind", "Subject", "Status", "SendAtUtc", "Recipients"], cancellationToken).ConfigureAwait(false))
        {
            if (edition.Status is EditionStatus.Sending or EditionStatus.Sent)
            {
                editions.Add(edition);
            }
        }

        var events = await storage.TableAsync(NewsletterStorage.DeliveryEvents, cancellationToken).ConfigureAwait(false);
        var rows = new List<ReportRow>();
        int delivered = 0, failed = 0, unsubscribed = 0, spam = 0;
        foreach (var edition in editions.OrderBy(e => e.SendAtUtc))
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var ofEdition = TableClient.CreateQueryFilter($"PartitionKey eq {KeySafe.Encode(edition.RowKey)}");
            await foreach (var e in TablePages.RowsAsync<DeliveryEventEntity>(events, ofEdition, ["Event"], cancellationToken).ConfigureAwait(false))
            {
                counts[e.Event] = counts.GetValueOrDefault(e.Event) + 1;
            }

            var editionFailed = counts.GetValueOrDefault("bounce") + counts.GetValueOrDefault("dropped");
            var editionUnsubscribed = counts.GetValueOrDefault("unsubscribe") + counts.GetValueOrDefault("group_unsubscribe");
            delivered += counts.GetValueOrDefault("delivered");
            failed += editionFailed;
            unsubscribed += editionUnsubscribed;
            spam += counts.GetValueOrDefault("spamreport");
            rows.Add(new ReportRow(
                $"{PersonalRecords.Date(LocalDates.DayOf(edition.SendAtUtc))} : {edition.Subject} ({EditionKind.Terms.Label(edition.Kind)})",
                [edition.Recipients, counts.GetValueOrDefault("delivered"), editionFailed, editionUnsubscribed]));
        }

        var changes = await audience.BetweenAsync(period.Start, period.End, cancellationToken).ConfigureAwait(false);
        var gained = changes.Where(c => c.Change == AudienceChangeEntity.Gained).ToList();
        var lost = changes.Where(c => c.Change == AudienceChangeEntity.Lost).ToList();
        var perMonth = period.Months().Select(m => new ReportRow(
            ReportTables.MonthLabel(m.Year, m.Month),
            [
                gained.Count(c => InMonth(c.At, m)),
                lost.Count(c => InMonth(c.At, m)),
            ])).ToList();
        return new ReportSection(
            "newsletter",
            "Lettre d'information",
            [
                new("Lettres mensuelles envoyées", editions.Count(e => e.Kind == EditionKind.Monthly)),
                new("Envois ciblés", editions.Count(e => e.Kind == EditionKind.Mailing)),
                new("Destinataires (tous envois)", editions.Sum(e => e.Recipients)),
                new("Courriels délivrés", delivered),
                new("Courriels en échec", failed, Note: "adresse refusée ou rejetée"),
                new("Désinscriptions depuis un envoi", unsubscribed),
                new("Signalements comme indésirable", spam),
                new("Abonnés gagnés", gained.Count, Note: "inscriptions confirmées"),
                new("Abonnés perdus", lost.Count, Note: "désinscriptions, adresses en échec, effacements"),
            ],
            [
                new("newsletter-envois", "Envois de la période", "Envoi", EditionColumns, rows),
                new("newsletter-abonnes", "Abonnés gagnés et perdus par mois", "Mois", ["Gagnés", "Perdus"], perMonth, ReportChart.Line),
                ReportTables.Count("newsletter-pertes", "Abonnés perdus par motif", "Motif", "Abonnés", lost.Select(c => Reasons.GetValueOrDefault(c.Reason ?? "", ReportTables.NotGiven))),
            ],
            "Un envoi compte dans la période où il est parti (heure de Rennes). Délivrés, échecs et désinscriptions viennent des événements que SendGrid renvoie pour chaque envoi.");
    }

    private static bool InMonth(DateTimeOffset instant, (int Year, int Month) month)
    {
        var day = LocalDates.DayOf(instant);
        return day.Year == month.Year && day.Month == month.Month;
    }
}
