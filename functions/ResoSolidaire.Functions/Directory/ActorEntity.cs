using Azure;
using Azure.Data.Tables;

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

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    public static string PartitionOf(string id) => id[..1];

    public static string? JoinList(IReadOnlyList<string> values) =>
        values.Count == 0 ? null : string.Join(ListSeparator, values);

    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(ListSeparator);
}
