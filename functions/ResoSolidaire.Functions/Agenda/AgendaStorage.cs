namespace ResoSolidaire.Functions.Agenda;

/// <summary>The agenda's tables (AgendaEvents, AgendaProposalLog), created at start-up (declared in AddAgenda); only the agenda module knows them.</summary>
public sealed class AgendaStorage(StorageProvisioning storage)
{
    public const string Events = "AgendaEvents";

    /// <summary>One anonymous row per proposal (when, which kind of organiser, what became of it), kept when the proposal is purged.</summary>
    public const string ProposalLog = "AgendaProposalLog";

    public Task<TableClient> EventsAsync(CancellationToken cancellationToken) => storage.TableAsync(Events, cancellationToken);

    public Task<TableClient> ProposalLogAsync(CancellationToken cancellationToken) => storage.TableAsync(ProposalLog, cancellationToken);
}

/// <summary>
/// What the activity report counts of a proposal: when it was proposed, by which kind of organiser, and whether it
/// was published or refused. No title, no contact: a refused proposal is deleted after Retention:RejectedAgendaProposals,
/// and the year's count of proposals stays right. Partition: "proposition"; row: the event's id.
/// </summary>
public sealed class ProposalLogEntity : ITableEntity
{
    public const string Partition = "proposition";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset ProposedAt { get; set; }

    public string? OrganiserKind { get; set; }

    public string Status { get; set; } = AgendaStatus.Pending;

    public DateTimeOffset? ModeratedAt { get; set; }

    /// <summary>The event's first day (yyyy-MM-dd, local).</summary>
    public string StartDate { get; set; } = "";
}

/// <summary>The kinds of organiser a proposal names (the same codes as the directory's kinds of actor, but the agenda's own list).</summary>
public static class OrganiserKinds
{
    public static StatusTerms Terms { get; } = new(
    [
        new("association", "association", "Association"),
        new("cooperative", "cooperative", "Coopérative"),
        new("mutuelle", "mutuelle", "Mutuelle"),
        new("fondation", "fondation", "Fondation"),
        new("entreprise-ess", "entreprise-ess", "Entreprise de l'ESS"),
        new("collectivite", "collectivite", "Collectivité"),
        new("autre", "autre", "Autre"),
    ]);
}
