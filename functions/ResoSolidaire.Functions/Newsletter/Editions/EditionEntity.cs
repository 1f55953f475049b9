namespace ResoSolidaire.Functions.Newsletter.Editions;

public static class EditionStatus
{
    public const string Draft = "Draft";

    /// <summary>Approved by staff (or automatically, when configured): leaves on its send date.</summary>
    public const string Approved = "Approved";

    /// <summary>Audience frozen (or being frozen) and batches going out.</summary>
    public const string Sending = "Sending";

    /// <summary>Every batch has an outcome (sent, failed or uncertain).</summary>
    public const string Sent = "Sent";

    /// <summary>Labels agree with « édition » (feminine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Draft, "draft", "Brouillon"),
        new(Approved, "approved", "Approuvée"),
        new(Sending, "sending", "En cours d'envoi"),
        new(Sent, "sent", "Envoyée"),
    ]);
}

public static class EditionKind
{
    /// <summary>The monthly newsletter: agenda, archive, everyone.</summary>
    public const string Monthly = "monthly";

    /// <summary>A targeted mailing to a segment: no agenda, not archived publicly.</summary>
    public const string Mailing = "mailing";

    public static StatusTerms Terms { get; } = new(
    [
        new(Monthly, Monthly, "Lettre mensuelle"),
        new(Mailing, Mailing, "Envoi ciblé"),
    ]);
}

public sealed class EditionEntity : ITableEntity
{
    public const string Partition = "edition";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = EditionKind.Monthly;

    public string Subject { get; set; } = "";

    public string IntroMarkdown { get; set; } = "";

    public string NewsJson { get; set; } = "[]";

    /// <summary>The spotlit structures as staff chose them: directory ids and optional texts.</summary>
    public string SpotlightJson { get; set; } = "[]";

    /// <summary>The spotlit structures as the directory described them when the edition was frozen for sending; null before.</summary>
    public string? SpotlightSentJson { get; set; }

    public string? SegmentJson { get; set; }

    /// <summary>Ids of approved agenda events staff left out of this edition (JSON array); the others in its weeks are included.</summary>
    public string ExcludedEventsJson { get; set; } = "[]";

    /// <summary>yyyy-MM-dd, local date.</summary>
    public string SendDate { get; set; } = "";

    /// <summary>HH:mm, local time.</summary>
    public string SendTime { get; set; } = "";

    public DateTimeOffset SendAtUtc { get; set; }

    public string Status { get; set; } = EditionStatus.Draft;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who created it (a staff member's display name; « minuteur » for the monthly draft).</summary>
    public string? CreatedBy { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public string? UpdatedByObjectId { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public string? ApprovedBy { get; set; }

    public string? ApprovedByObjectId { get; set; }

    /// <summary>Set when an audience freeze starts; a freeze that did not finish is started over under a new id.</summary>
    public string? FreezeId { get; set; }

    /// <summary>Set when the audience is frozen: the partition of its batches, the prefix of its ledger partitions.</summary>
    public string? LedgerKey { get; set; }

    /// <summary>When the frozen audience was read: the suppressions that matter to its batches are the ones since.</summary>
    public DateTimeOffset? FrozenAt { get; set; }

    public int Recipients { get; set; }

    public int BatchCount { get; set; }

    public int Sent { get; set; }

    public int Failed { get; set; }

    public int Uncertain { get; set; }

    public int Suppressed { get; set; }

    /// <summary>Left out when the audience was frozen (suppressed then); <see cref="Suppressed"/> adds those left out at send time.</summary>
    public int AudienceSuppressed { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>When the retention pass deleted the delivery's recipients (its ledger); its counts stay. A batch can no longer be resent after.</summary>
    public DateTimeOffset? LedgerPurgedAt { get; set; }

    /// <summary>How many times the delivery was completed (a resend completes it again); one staff report each.</summary>
    public int Completions { get; set; }
}
