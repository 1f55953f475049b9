using System.Text.Json.Serialization;

namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>
/// Who a mailing goes to: the members who meet every criterion given, a criterion of several values being met by
/// any of them; everyone when no criterion is given. The territory is one criterion of three kinds of places
/// (EPCI, commune by INSEE code, Rennes quartier): a member in any of the chosen places meets it. Values are
/// codes offered by <see cref="AudienceCriteria"/>, which refuses any other.
/// </summary>
public sealed record AudienceSegment
{
    public static readonly AudienceSegment Everyone = new();

    private static readonly JsonSerializerOptions Stored = new(JsonSerializerDefaults.Web);

    private static readonly string[] SingleValued = ["territory", "sector", "kind", "tag"];

    /// <summary>EPCI codes (SIREN, 9 digits).</summary>
    public IReadOnlyList<string> Epcis { get; init; } = [];

    /// <summary>Commune INSEE codes.</summary>
    public IReadOnlyList<string> Communes { get; init; } = [];

    /// <summary>Codes of the quartiers of Rennes.</summary>
    public IReadOnlyList<string> Quartiers { get; init; } = [];

    public IReadOnlyList<string> Sectors { get; init; } = [];

    /// <summary>Kinds of actor (association, coopérative...): directory actors only.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];

    /// <summary>Directory tags: directory actors only.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonIgnore]
    public bool IsEveryone => !HasTerritory && Count(Sectors) == 0 && Count(Kinds) == 0 && Count(Tags) == 0;

    [JsonIgnore]
    public bool HasTerritory => Count(Epcis) + Count(Communes) + Count(Quartiers) > 0;

    /// <summary>The same segment with every list present, trimmed, without blanks or repeats (JSON may carry nulls).</summary>
    public AudienceSegment Normalized() => new()
    {
        Epcis = Clean(Epcis),
        Communes = Clean(Communes),
        Quartiers = Clean(Quartiers),
        Sectors = Clean(Sectors),
        Kinds = Clean(Kinds),
        Tags = Clean(Tags),
    };

    /// <summary>
    /// Reads a segment as stored in an edition, including the single-valued shape written before segments had
    /// lists (<c>territory</c>: an EPCI or a commune, <c>sector</c>, <c>kind</c>, <c>tag</c>).
    /// </summary>
    public static AudienceSegment FromStored(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return Everyone;
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Single(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (!SingleValued.Any(name => root.TryGetProperty(name, out _)))
        {
            return (root.Deserialize<AudienceSegment>(Stored) ?? Everyone).Normalized();
        }

        var territory = Single("territory");
        IReadOnlyList<string> One(string? value) => value is null ? [] : [value];
        return new AudienceSegment
        {
            Epcis = territory is { Length: 9 } ? [territory] : [],
            Communes = territory is { Length: not 9 } ? [territory] : [],
            Sectors = One(Single("sector")),
            Kinds = One(Single("kind")),
            Tags = One(Single("tag")),
        }.Normalized();
    }

    private static int Count(IReadOnlyList<string>? values) => values?.Count ?? 0;

    private static List<string> Clean(IReadOnlyList<string>? values) =>
        [.. (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal)];
}

/// <summary>Where a directory actor is: its EPCI, its commune (INSEE code) and, in Rennes, its quartier.</summary>
public sealed record AudiencePlace(string? Epci, string? Commune, string? Quartier);

/// <summary>
/// One possible recipient, as a source knows it. A member is either somewhere (<see cref="Place"/>: a directory
/// actor, whose sectors, kind and tags are its own) or follows interests (a subscriber: <see cref="Territories"/>
/// and <see cref="Sectors"/> are what they chose, and an empty choice means every territory, every sector).
/// </summary>
public sealed record AudienceMember(string Email, string? DisplayName, string Source)
{
    /// <summary>Where the member is; null for a member who follows interests instead.</summary>
    public AudiencePlace? Place { get; init; }

    /// <summary>EPCI codes a member who follows interests chose; empty: every territory. Unused with a <see cref="Place"/>.</summary>
    public IReadOnlyList<string> Territories { get; init; } = [];

    /// <summary>The member's sectors, or the sectors of interest of a member who follows interests (empty: every sector).</summary>
    public IReadOnlyList<string> Sectors { get; init; } = [];

    /// <summary>Kind of structure (association, coopérative, ...), for directory actors.</summary>
    public string? Kind { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool FollowsInterests => Place is null;
}

/// <summary>
/// A source of newsletter recipients. Each source lists only people who may receive the newsletter
/// (confirmed, not opted out) and may already narrow the list by segment in storage; the segment itself,
/// suppressions and duplicates are applied by <see cref="NewsletterAudience"/>. Registered as
/// <c>IEnumerable&lt;INewsletterAudienceSource&gt;</c>.
/// </summary>
public interface INewsletterAudienceSource
{
    /// <summary>The source's code, carried by its members (<see cref="AudienceMember.Source"/>): "abonnes", "annuaire".</summary>
    string Code { get; }

    /// <summary>What staff read in counts: « Abonnés », « Annuaire ».</summary>
    string Label { get; }

    IAsyncEnumerable<AudienceMember> ListAsync(AudienceSegment segment, CancellationToken ct);
}
