namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// An actor as stored in the Actors table. The id is 16 random hex digits; the partition is its first
/// digit, so the table has 16 partitions of even size whatever the actors' kinds and places: a read by id
/// is a point read, an import writes batches to 16 partitions in parallel, an export can scan them side
/// by side, and an actor that moves or changes kind keeps its id and its row. Filters on kind, EPCI,
/// commune, quartier, legal status and newsletter run in storage; several-valued fields (sectors, tags,
/// emails) are kept as one value per line and tested by the app, with the normalised name (NameKey).
/// </summary>
public sealed class ActorEntity : ITableEntity
{
    public const char ListSeparator = '\n';

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The name without case, accents or punctuation, for search and import matching.</summary>
    public string NameKey { get; set; } = "";

    public string Kind { get; set; } = "";

    public string? LegalStatus { get; set; }

    /// <summary>The legal status without case or accents, for the status filter.</summary>
    public string? LegalStatusKey { get; set; }

    public string? Siret { get; set; }

    public string? Sectors { get; set; }

    public string? CommuneInsee { get; set; }

    public string? CommuneName { get; set; }

    public string? Epci { get; set; }

    public string? Quartier { get; set; }

    public string? Address { get; set; }

    public string? PostalCode { get; set; }

    public string? Emails { get; set; }

    /// <summary>
    /// EmailHasher.Hash of each of <see cref="Emails"/>, one property an address (at most
    /// <see cref="ActorRules.MaxListCount"/>): access and erasure filter on them (<see cref="EmailHashFilter"/>).
    /// Set by <see cref="HashEmails"/> before every write.
    /// </summary>
    public string? EmailHash0 { get; set; }

    public string? EmailHash1 { get; set; }

    public string? EmailHash2 { get; set; }

    public string? EmailHash3 { get; set; }

    public string? EmailHash4 { get; set; }

    public string? EmailHash5 { get; set; }

    public string? EmailHash6 { get; set; }

    public string? EmailHash7 { get; set; }

    public string? EmailHash8 { get; set; }

    public string? EmailHash9 { get; set; }

    public string? Phones { get; set; }

    public string? Website { get; set; }

    public string? Tags { get; set; }

    /// <summary>The tags without case or accents, one per line, for the tag filter.</summary>
    public string? TagKeys { get; set; }

    public bool Newsletter { get; set; } = true;

    /// <summary>The day a person gave their consent to mailings (yyyy-MM-dd, as staff recorded it); null when none is recorded.</summary>
    public string? ConsentDate { get; set; }

    /// <summary>Where the consent was given ("bulletin papier, AG 2026").</summary>
    public string? ConsentSource { get; set; }

    /// <summary>The version of the consent text the person agreed to.</summary>
    public string? ConsentTextVersion { get; set; }

    /// <summary>
    /// Set by the retention pass when a person (individu, étudiant) has had no contact for the retention
    /// duration: staff review the entry (saving it clears the mark) or delete it. Null otherwise.
    /// </summary>
    public DateTimeOffset? ReviewSince { get; set; }

    public string? Notes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    /// <summary>The Entra object id of <see cref="CreatedBy"/> (absent on rows written before it was recorded).</summary>
    public string? CreatedByObjectId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    /// <summary>The Entra object id of <see cref="UpdatedBy"/>.</summary>
    public string? UpdatedByObjectId { get; set; }

    /// <summary>Records who created the actor, now.</summary>
    public void StampCreated(StaffMember by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        (CreatedAt, CreatedBy, CreatedByObjectId) = (now, by.Name, by.ObjectId);
        StampUpdated(by, now);
    }

    /// <summary>Records who changed the actor last, now.</summary>
    public void StampUpdated(StaffMember by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        (UpdatedAt, UpdatedBy, UpdatedByObjectId) = (now, by.Name, by.ObjectId);
    }

    public static string PartitionOf(string id) => id[..1];

    /// <summary>The storage filter of the actors listing the address whose hash this is.</summary>
    public static string EmailHashFilter(string hash) =>
        string.Join(" or ", Enumerable.Range(0, ActorRules.MaxListCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"EmailHash{i} eq ") + TableClient.CreateQueryFilter($"{hash}")));

    /// <summary>Sets the hash properties from <see cref="Emails"/> (an address that does not parse gets none).</summary>
    public void HashEmails(EmailHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        var hashes = SplitList(Emails).Select(hasher.HashOrNull).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        string? At(int i) => i < hashes.Count ? hashes[i] : null;
        (EmailHash0, EmailHash1, EmailHash2, EmailHash3, EmailHash4) = (At(0), At(1), At(2), At(3), At(4));
        (EmailHash5, EmailHash6, EmailHash7, EmailHash8, EmailHash9) = (At(5), At(6), At(7), At(8), At(9));
    }

    public static string? JoinList(IReadOnlyList<string> values) =>
        values.Count == 0 ? null : string.Join(ListSeparator, values);

    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(ListSeparator);
}
