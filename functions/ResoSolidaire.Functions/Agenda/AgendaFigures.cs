using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Agenda;

/// <summary>
/// The agenda in the activity report: the events proposed in the period, how many were published or refused, by
/// kind of organiser, and the published events that took place in it. Read from the proposal log, which keeps a
/// proposal's count after the proposal itself is purged.
/// </summary>
public sealed class AgendaFigures(AgendaStorage storage) : IActivityFigures
{
    private static readonly string[] Columns = ["Proposés", "Publiés"];

    public int Order => 50;

    public async Task<ReportSection> ComputeAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var table = await storage.ProposalLogAsync(cancellationToken).ConfigureAwait(false);
        var log = new List<ProposalLogEntity>();
        await foreach (var row in TablePages.RowsAsync<ProposalLogEntity>(table, TableClient.CreateQueryFilter($"PartitionKey eq {ProposalLogEntity.Partition}"), null, cancellationToken).ConfigureAwait(false))
        {
            log.Add(row);
        }

        var proposed = log.Where(p => period.Contains(p.ProposedAt)).ToList();
        var published = proposed.Where(p => p.Status == AgendaStatus.Approved).ToList();
        var held = log.Count(p => p.Status == AgendaStatus.Approved && ExportTime.Day(p.StartDate) is { } day && period.Contains(day));
        string Kind(ProposalLogEntity p) => p.OrganiserKind is null ? ReportTables.NotGiven : OrganiserKinds.Terms.Label(p.OrganiserKind);
        var byKind = proposed.Select(p => (Kind(p), 0)).Concat(published.Select(p => (Kind(p), 1)));
        return new ReportSection(
            "agenda",
            "Agenda",
            [
                new("Événements proposés", proposed.Count),
                new("dont publiés", published.Count),
                new("dont refusés", proposed.Count(p => p.Status == AgendaStatus.Rejected)),
                new("dont en attente de validation", proposed.Count(p => p.Status == AgendaStatus.Pending)),
                new("Événements publiés ayant eu lieu dans la période", held),
            ],
            [
                new("agenda-organisateurs", "Par type de structure organisatrice", "Type de structure", Columns, ReportTables.Rows(byKind, 2, [.. OrganiserKinds.Terms.All.Select(t => t.Label)]), ReportChart.Bars),
            ],
            "Une proposition compte à sa date d'envoi (heure de Rennes) ; un événement publié compte aussi à la date où il a lieu.");
    }
}
