namespace ResoSolidaire.Functions.Newsletter.Dispatch;

public static class BatchStatus
{
    public const string Pending = "Pending";

    /// <summary>Claimed by a dispatcher before its request: if found so by another dispatcher, its outcome is unknown.</summary>
    public const string Claimed = "Claimed";

    /// <summary>SendGrid answered 202.</summary>
    public const string Sent = "Sent";

    /// <summary>Refused for good (a 400), or attempts ran out; the error is kept and staff can resend it.</summary>
    public const string Failed = "Failed";

    /// <summary>The dispatcher stopped mid-request: SendGrid may or may not have it. Never resent without staff.</summary>
    public const string Uncertain = "Uncertain";

    public static bool IsTerminal(string status) => status is Sent or Failed or Uncertain;

    /// <summary>Labels agree with « lot » (masculine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Pending, "pending", "En attente"),
        new(Claimed, "claimed", "En cours d'envoi"),
        new(Sent, "sent", "Envoyé"),
        new(Failed, "failed", "En échec"),
        new(Uncertain, "uncertain", "Incertain (à vérifier)"),
    ]);
}

/// <summary>One batch of an edition's delivery (at most 1,000 recipients, one SendGrid request).</summary>
public sealed class BatchEntity : ITableEntity
{
    /// <summary>The edition's ledger key.</summary>
    public string PartitionKey { get; set; } = "";

    /// <summary>The batch number, zero-padded.</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Status { get; set; } = BatchStatus.Pending;

    /// <summary>Recipients frozen in the batch.</summary>
    public int Count { get; set; }

    /// <summary>Recipients found suppressed right before the request.</summary>
    public int Suppressed { get; set; }

    /// <summary>Recipients in the accepted request.</summary>
    public int SentCount { get; set; }

    public int Attempts { get; set; }

    public int Resends { get; set; }

    /// <summary>Who queued the batch again last, and when (staff decide every resend).</summary>
    public string? ResentBy { get; set; }

    public string? ResentByObjectId { get; set; }

    public DateTimeOffset? ResentAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public static string Row(int number) => number.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>The ledger partition of the batch's recipients: one partition per batch, so a batch is one range read.</summary>
    public static string LedgerPartition(string ledgerKey, string batchRow) => ledgerKey + "-" + batchRow;
}

/// <summary>One recipient of an edition, frozen when the dispatch starts.</summary>
public sealed class LedgerEntity : ITableEntity
{
    public const string SuppressedOutcome = "Suppressed";

    /// <summary>A recipient's own outcome: empty while its batch's status tells it.</summary>
    public static StatusTerms OutcomeTerms { get; } = new(
    [
        new("", "recipient", "Destinataire de l'envoi"),
        new(SuppressedOutcome, "suppressed", "Exclu (opposition)"),
    ]);

    public string PartitionKey { get; set; } = "";

    /// <summary>EmailHasher.Hash of the address.</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Email { get; set; } = "";

    public string? Name { get; set; }

    /// <summary>Empty while the batch's status tells the outcome; "Suppressed" when left out at send time.</summary>
    public string Outcome { get; set; } = "";
}
