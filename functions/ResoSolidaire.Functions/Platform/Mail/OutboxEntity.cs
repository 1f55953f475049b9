namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>The states of a mail in the outbox.</summary>
public static class OutboxStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    public const string Pending = "Pending";

    /// <summary>Claimed by a sender; a request to SendGrid may be in flight.</summary>
    public const string Sending = "Sending";

    /// <summary>SendGrid answered 2xx.</summary>
    public const string Sent = "Sent";

    /// <summary>A sender stopped mid-request: SendGrid may or may not have it. Never resent blindly.</summary>
    public const string Uncertain = "Uncertain";

    /// <summary>SendGrid refused it for good (4xx other than 429), or attempts ran out.</summary>
    public const string Failed = "Failed";

    /// <summary>Labels agree with « courriel » (masculine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Pending, "pending", "En attente d'un nouvel essai"),
        new(Sending, "sending", "En cours d'envoi"),
        new(Sent, "sent", "Envoyé"),
        new(Uncertain, "uncertain", "Incertain (à vérifier)"),
        new(Failed, "failed", "En échec"),
    ]);
}

/// <summary>
/// One mail of the outbox. The body is split over several properties: a string property holds at most 64 KiB.
/// Beside each mail, in the same partition and written in the same transaction, one person row per address
/// the mail is to or about (<see cref="PersonRowKey"/>): access and erasure find a person's mails by that key.
/// </summary>
public sealed class OutboxEntity : ITableEntity
{
    public const string MailPartition = "mail";

    /// <summary>Person rows' keys start here; mails' keys never do (ticks, or KeySafe-encoded "k-").</summary>
    public const string PersonRowPrefix = "p-";
    internal const int ChunkLength = 30_000;
    internal const int MaxChunks = 12;

    public string PartitionKey { get; set; } = MailPartition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = "";

    public string Status { get; set; } = OutboxStatus.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// The keyed hashes (EmailHasher) of the recipients, the reply-to and the people the mail is about, one a line:
    /// the person rows to delete with the mail. Null on mails written before person rows existed.
    /// </summary>
    public string? People { get; set; }

    public IReadOnlyList<string> PeopleHashes() => string.IsNullOrEmpty(People) ? [] : People.Split('\n');

    /// <summary>The key of the row saying that mail <paramref name="mailRowKey"/> is to or about the person of <paramref name="emailHash"/>.</summary>
    public static string PersonRowKey(string emailHash, string mailRowKey) => PersonRowPrefix + emailHash + "-" + mailRowKey;

    /// <summary>The range of a person's rows: RowKey ge the first and lt the second.</summary>
    public static (string From, string To) PersonRange(string emailHash) => (PersonRowPrefix + emailHash + "-", PersonRowPrefix + emailHash + ".");

    public string? Body0 { get; set; }
    public string? Body1 { get; set; }
    public string? Body2 { get; set; }
    public string? Body3 { get; set; }
    public string? Body4 { get; set; }
    public string? Body5 { get; set; }
    public string? Body6 { get; set; }
    public string? Body7 { get; set; }
    public string? Body8 { get; set; }
    public string? Body9 { get; set; }
    public string? Body10 { get; set; }
    public string? Body11 { get; set; }

    public string ReadBody() => string.Concat(Body0, Body1, Body2, Body3, Body4, Body5, Body6, Body7, Body8, Body9, Body10, Body11);

    public void WriteBody(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > ChunkLength * MaxChunks)
        {
            throw new ArgumentException("A transactional mail body may not exceed 360,000 characters.", nameof(json));
        }

        string? Chunk(int i) => json.Length > i * ChunkLength ? json.Substring(i * ChunkLength, Math.Min(ChunkLength, json.Length - (i * ChunkLength))) : null;
        (Body0, Body1, Body2, Body3, Body4, Body5) = (Chunk(0), Chunk(1), Chunk(2), Chunk(3), Chunk(4), Chunk(5));
        (Body6, Body7, Body8, Body9, Body10, Body11) = (Chunk(6), Chunk(7), Chunk(8), Chunk(9), Chunk(10), Chunk(11));
    }
}
