namespace ResoSolidaire.Functions.Agenda;

/// <summary>Agenda events with their proposer and moderation; the staff list's status filter, from/to on the start date.</summary>
public sealed class AgendaEventsExport(AgendaStorage storage) : IExportDataset
{
    public string Slug => "agenda-events";

    public string FileStem => "agenda";

    public string Title => "Événements de l'agenda";

    public string? DateRangeLabel => "Ayant lieu";

    public Task<IReadOnlyList<ExportFilter>> FiltersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ExportFilter>>(
        [new("status", "État", [.. AgendaStatus.Terms.All.Select(t => new ExportChoice(t.Code, t.Label))])]);

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("id", "Identifiant"),
        new("title", "Titre"),
        new("startDate", "Date"),
        new("startTime", "Heure"),
        new("endDate", "Date de fin"),
        new("place", "Lieu"),
        new("commune", "Commune"),
        new("description", "Description"),
        new("link", "Lien"),
        new("organiser", "Organisateur"),
        new("contactName", "Contact"),
        new("contactEmail", "E-mail du contact"),
        new("status", "Statut"),
        new("rejectionReason", "Motif du refus"),
        new("proposedAt", "Proposé le"),
        new("moderatedAt", "Modéré le"),
        new("consentTextVersion", "Consentement : version du texte"),
    ];

    public async Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(errors);
        string? status = null;
        if (ExportPages.Value(query, "status") is { } statusText && (status = AgendaStatus.Terms.StoredOf(statusText)) is null)
        {
            errors["status"] = [$"Valeurs possibles : {AgendaStatus.Terms.Choices}."];
        }

        var filter = ExportPages.And(
        [
            TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition}"),
            status is null ? null : TableClient.CreateQueryFilter($"Status eq {status}"),
            range.From is { } from ? TableClient.CreateQueryFilter($"StartDate ge {ExportTime.Iso(from)}") : null,
            range.To is { } to ? TableClient.CreateQueryFilter($"StartDate le {ExportTime.Iso(to)}") : null,
        ]);
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        return new ExportPlan(ct => ExportPages.ReadAsync<AgendaEventEntity>(table, filter, null, Row, ct));
    }

    private static object?[] Row(AgendaEventEntity e) =>
    [
        e.RowKey,
        e.Title,
        ExportTime.Day(e.StartDate),
        e.StartTime,
        ExportTime.Day(e.EndDate),
        e.Place,
        e.Commune,
        e.Description,
        e.Link,
        e.Organiser,
        e.ContactName,
        e.ContactEmail,
        AgendaStatus.Terms.Label(e.Status),
        e.RejectionReason,
        e.ProposedAt,
        e.ModeratedAt,
        e.ConsentTextVersion,
    ];
}
