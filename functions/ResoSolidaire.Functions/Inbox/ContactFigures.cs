using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Inbox;

/// <summary>
/// The contact messages in the activity report: those received in the period by topic (students' orientation
/// questions counted apart), and how soon the team handled them (from receipt to « traité »).
/// </summary>
public sealed class ContactFigures(ContactMessageStore messages, StorageProvisioning storage) : IActivityFigures
{
    public const string StudentTopic = "orientation-etudiant";

    private static readonly string[] Delays = ["En moins de 24 heures", "En 1 à 2 jours", "En 2 à 7 jours", "En plus de 7 jours", "Pas encore traités"];

    public int Order => 20;

    public async Task<ReportSection> ComputeAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var handled = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var handling = await storage.TableAsync(ContactInbox.TableName, cancellationToken).ConfigureAwait(false);
        await foreach (var row in TablePages.RowsAsync<HandlingEntity>(handling, TableClient.CreateQueryFilter($"PartitionKey eq {HandlingEntity.Partition}"), ["RowKey", nameof(HandlingEntity.HandledAt)], cancellationToken).ConfigureAwait(false))
        {
            handled[row.RowKey] = row.HandledAt;
        }

        var received = new List<ContactMessageEntity>();
        await foreach (var message in messages.ReceiptsAsync(period.Start, period.End, cancellationToken).ConfigureAwait(false))
        {
            received.Add(message);
        }

        var students = received.Where(m => m.Topic == StudentTopic).ToList();
        var others = received.Where(m => m.Topic != StudentTopic).ToList();
        var hours = received.Where(m => handled.ContainsKey(m.Reference)).Select(m => (handled[m.Reference] - m.CreatedAt).TotalHours).ToList();
        var median = ReportTables.Median(hours);
        var delays = others.Select(m => (Delay(m, handled), 0)).Concat(students.Select(m => (Delay(m, handled), 1)));
        return new ReportSection(
            "contact",
            "Messages de contact",
            [
                new("Messages reçus par le formulaire de contact", others.Count),
                new("Questions d'orientation d'étudiants", students.Count, Note: "comptées à part"),
                new("Messages traités", hours.Count),
                new("Délai médian de traitement", median is null ? null : Math.Round(median.Value, 1), ReportUnit.Hours, "de la réception au message marqué « traité »"),
            ],
            [
                ReportTables.Count("contact-sujet", "Messages par sujet", "Sujet", "Messages", others.Select(m => ContactForm.Topics.GetValueOrDefault(m.Topic, m.Topic)), ReportChart.Bars, [.. ContactForm.Topics.Where(t => t.Key != StudentTopic).Select(t => t.Value)]),
                new("contact-delai", "Délai de traitement", "Traités", ["Messages", "Questions d'étudiants"], ReportTables.Rows(delays, 2, Delays)),
            ],
            "Messages comptés à leur date de réception (heure de Rennes) ; un message traité puis remis à traiter compte à sa dernière date de traitement.");
    }

    private static string Delay(ContactMessageEntity message, Dictionary<string, DateTimeOffset> handled)
    {
        if (!handled.TryGetValue(message.Reference, out var at))
        {
            return Delays[4];
        }

        var elapsed = at - message.CreatedAt;
        return elapsed <= TimeSpan.FromDays(1) ? Delays[0] : elapsed <= TimeSpan.FromDays(2) ? Delays[1] : elapsed <= TimeSpan.FromDays(7) ? Delays[2] : Delays[3];
    }
}
