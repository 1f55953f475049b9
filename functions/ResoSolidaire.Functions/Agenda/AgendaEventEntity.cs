namespace ResoSolidaire.Functions.Agenda;

public static class AgendaStatus
{
    public const string Pending = "Pending";
    public const string Approved = "Approved";
    public const string Rejected = "Rejected";

    /// <summary>Labels agree with « événement » (masculine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Pending, "pending", "À modérer"),
        new(Approved, "approved", "Validé"),
        new(Rejected, "rejected", "Refusé"),
    ]);
}

/// <summary>An event proposed by a member structure. Dates are local to the association (Europe/Paris).</summary>
public sealed class AgendaEventEntity : ITableEntity
{
    public const string Partition = "event";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Title { get; set; } = "";

    /// <summary>yyyy-MM-dd, local date.</summary>
    public string StartDate { get; set; } = "";

    /// <summary>HH:mm, local time, optional.</summary>
    public string? StartTime { get; set; }

    public string? EndDate { get; set; }

    public string Place { get; set; } = "";

    public string Commune { get; set; } = "";

    public string Description { get; set; } = "";

    public string? Link { get; set; }

    public string Organiser { get; set; } = "";

    /// <summary>The kind of organiser (<see cref="OrganiserKinds"/>), when the proposer said it.</summary>
    public string? OrganiserKind { get; set; }

    public string ContactName { get; set; } = "";

    public string ContactEmail { get; set; } = "";

    /// <summary>EmailHasher.Hash of <see cref="ContactEmail"/>: how access and erasure find the proposer's events.</summary>
    public string ContactEmailHash { get; set; } = "";

    public string Status { get; set; } = AgendaStatus.Pending;

    public string? RejectionReason { get; set; }

    public DateTimeOffset ProposedAt { get; set; }

    public DateTimeOffset? ModeratedAt { get; set; }

    /// <summary>Who approved or refused it (a staff member's display name) and their Entra object id.</summary>
    public string? ModeratedBy { get; set; }

    public string? ModeratedByObjectId { get; set; }

    /// <summary>The last correction staff made to the event's text before or after approving it.</summary>
    public DateTimeOffset? EditedAt { get; set; }

    public string? EditedBy { get; set; }

    public string? EditedByObjectId { get; set; }

    public string ConsentTextVersion { get; set; } = "";
}

/// <summary>An agenda event as the API shows it; <c>status</c> is a stable code, <c>statusLabel</c> its French label.</summary>
public sealed record AgendaEvent(
    string Id,
    string Title,
    string StartDate,
    string? StartTime,
    string? EndDate,
    string Place,
    string Commune,
    string Description,
    string? Link,
    string Organiser,
    string Status,
    string StatusLabel)
{
    public static AgendaEvent From(AgendaEventEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.RowKey, e.Title, e.StartDate, e.StartTime, e.EndDate, e.Place, e.Commune, e.Description, e.Link, e.Organiser, AgendaStatus.Terms.Code(e.Status), AgendaStatus.Terms.Label(e.Status));
    }
}

/// <summary>An event as staff see it: with the proposer's contact and the moderation.</summary>
public sealed record AgendaEventForStaff(AgendaEvent Event, string ContactName, string ContactEmail, DateTimeOffset ProposedAt, DateTimeOffset? ModeratedAt, string? RejectionReason)
{
    public string? ModeratedBy { get; init; }

    public static AgendaEventForStaff From(AgendaEventEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(AgendaEvent.From(e), e.ContactName, e.ContactEmail, e.ProposedAt, e.ModeratedAt, e.RejectionReason) { ModeratedBy = e.ModeratedBy };
    }
}
