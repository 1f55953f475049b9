namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

public static class SubscriberStatus
{
    /// <summary>Subscribed, waiting for the confirmation link to be used.</summary>
    public const string Pending = "Pending";

    public const string Confirmed = "Confirmed";

    public const string Unsubscribed = "Unsubscribed";

    /// <summary>Labels agree with « abonné » (masculine, as the staff exports have always said).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Pending, "pending", "En attente de confirmation"),
        new(Confirmed, "confirmed", "Confirmé"),
        new(Unsubscribed, "unsubscribed", "Désinscrit"),
    ]);
}

/// <summary>A newsletter subscriber, keyed by the hash of the normalised address.</summary>
public sealed class SubscriberEntity : ITableEntity
{
    public const string Partition = "subscriber";

    public string PartitionKey { get; set; } = Partition;

    /// <summary>EmailHasher.Hash of the address.</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Email { get; set; } = "";

    public string? Name { get; set; }

    public string Status { get; set; } = SubscriberStatus.Pending;

    /// <summary>EPCI codes of interest, comma-separated; empty for every territory.</summary>
    public string Territories { get; set; } = "";

    /// <summary>Sectors of interest, comma-separated; empty for every sector.</summary>
    public string Sectors { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The consent record: which text, when, and through which form.</summary>
    public string ConsentTextVersion { get; set; } = "";

    public DateTimeOffset ConsentAt { get; set; }

    public string ConsentSource { get; set; } = "";

    public DateTimeOffset? ConfirmedAt { get; set; }

    public DateTimeOffset? UnsubscribedAt { get; set; }

    public DateTimeOffset? LastConfirmationMailAt { get; set; }

    internal static IReadOnlyList<string> Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>An address that must never be mailed again (until it subscribes anew), keyed by the hash of the normalised address.</summary>
public sealed class SuppressionEntity : ITableEntity
{
    public const string Partition = "suppression";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>unsubscribe, bounce, dropped, spamreport, group_unsubscribe.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Where it came from: lien, one-click, webhook, equipe.</summary>
    public string Source { get; set; } = "";

    public DateTimeOffset SuppressedAt { get; set; }
}
