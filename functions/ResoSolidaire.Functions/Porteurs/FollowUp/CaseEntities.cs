namespace ResoSolidaire.Functions.Porteurs.FollowUp;

/// <summary>
/// The follow-up of one case, in the Cases table: one partition per case reference, holding its state row
/// ("state") and its timeline (one row per change, "t-" + time). A change and its timeline entry are written
/// in one batch transaction, so no change is ever unattributed. The intake itself stays where the form
/// stored it (PorteursDeProjet) and is never modified here.
/// </summary>
public sealed class CaseStateEntity : ITableEntity
{
    public const string StateRow = "state";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = StateRow;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Phase { get; set; } = CasePhases.Accueil;

    public string? Assignee { get; set; }

    /// <summary>yyyy-MM-dd (Europe/Paris), so that it sorts and compares as text.</summary>
    public string? NextActionDate { get; set; }

    public string? NextActionLabel { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    /// <summary>The Entra object id of <see cref="UpdatedBy"/>: stays true when the person's name changes.</summary>
    public string? UpdatedByObjectId { get; set; }
}

/// <summary>One entry of a case's timeline: what changed, when and by whom.</summary>
public sealed class CaseEventEntity : ITableEntity
{
    public const string RowPrefix = "t-";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string By { get; set; } = "";

    /// <summary>The Entra object id of <see cref="By"/> (null for the website's form and older entries).</summary>
    public string? ByObjectId { get; set; }

    public string Summary { get; set; } = "";

    public string? PhaseFrom { get; set; }

    public string? PhaseTo { get; set; }

    public string? Assignee { get; set; }

    public string? Date { get; set; }

    public string? Text { get; set; }

    public string? ActorId { get; set; }

    public string? ActorName { get; set; }
}

/// <summary>The kinds of timeline entry.</summary>
public static class CaseEventKinds
{
    public const string Phase = "phase";
    public const string Assignment = "assignation";
    public const string Note = "note";
    public const string Orientation = "orientation";
    public const string NextAction = "prochaine-action";
}
