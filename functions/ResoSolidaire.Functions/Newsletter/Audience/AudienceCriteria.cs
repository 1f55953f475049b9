using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>
/// A value a segment may take: the code stored in the segment, the French label staff pick, and the other
/// spellings of the same term (synonyms), so that a subscriber's interest written another way still meets it.
/// </summary>
public sealed record CriterionValue(string Code, string Label, IReadOnlyList<string>? Spellings = null);

/// <summary>The sectors, kinds and tags a source of recipients offers as criteria.</summary>
public sealed record AudienceCriteriaValues(IReadOnlyList<CriterionValue> Sectors, IReadOnlyList<CriterionValue> Kinds, IReadOnlyList<CriterionValue> Tags);

/// <summary>
/// How a source of recipients (the directory) tells the newsletter which values its members carry, so that
/// staff pick a segment among them and a typo cannot reach anybody. Registered as
/// <c>IEnumerable&lt;IAudienceCriteriaSource&gt;</c>; the newsletter never reads another module's vocabulary itself.
/// </summary>
public interface IAudienceCriteriaSource
{
    Task<AudienceCriteriaValues> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>A group of places of one EPCI, for the builder: the EPCI and its communes.</summary>
public sealed record TerritoryGroup(CriterionValue Epci, IReadOnlyList<CriterionValue> Communes);

/// <summary>Every value a segment may take, in the order staff read them.</summary>
public sealed record AudienceChoices(
    IReadOnlyList<TerritoryGroup> Territories,
    IReadOnlyList<CriterionValue> Quartiers,
    IReadOnlyList<CriterionValue> Sectors,
    IReadOnlyList<CriterionValue> Kinds,
    IReadOnlyList<CriterionValue> Tags)
{
    public IEnumerable<CriterionValue> Epcis => Territories.Select(t => t.Epci);

    public IEnumerable<CriterionValue> Communes => Territories.SelectMany(t => t.Communes);
}

/// <summary>
/// The criteria of a segment: the values offered (places of the Pays de Rennes from <see cref="CommuneDirectory"/>,
/// sectors, kinds and tags from the sources), the check that refuses any other value (field by field, in French),
/// and the filter that applies a segment to members. The sources' values are read at most once a minute (two
/// requests at the same moment may both read them: harmless).
/// </summary>
public sealed class AudienceCriteria(IEnumerable<IAudienceCriteriaSource> sources, CommuneDirectory communes, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);

    private volatile Cached? _cached;

    /// <summary>The values offered now (read again when older than a minute, or when <paramref name="fresh"/>).</summary>
    public async Task<AudienceChoices> ChoicesAsync(CancellationToken cancellationToken, bool fresh = false)
    {
        if (!fresh && _cached is { } cached && time.GetUtcNow() - cached.At < Freshness)
        {
            return cached.Choices;
        }

        var values = new List<AudienceCriteriaValues>();
        foreach (var source in sources)
        {
            values.Add(await source.ReadAsync(cancellationToken).ConfigureAwait(false));
        }

        var choices = new AudienceChoices(
            Territories(),
            [.. Quartiers.All.Select(q => new CriterionValue(q.Code, q.Name))],
            Merge(values.SelectMany(v => v.Sectors)),
            Merge(values.SelectMany(v => v.Kinds)),
            [.. Merge(values.SelectMany(v => v.Tags)).OrderBy(t => TextKey.Of(t.Label), StringComparer.Ordinal)]);
        _cached = new Cached(choices, time.GetUtcNow());
        return choices;
    }

    /// <summary>
    /// Checks that every value of the segment is offered; errors are keyed <c>{prefix}.{criterion}[i]</c> (the JSON path,
    /// or the console's field). A tag added to the directory within the last minute is found by reading the values again.
    /// </summary>
    public async Task<FieldErrors> ValidateAsync(AudienceSegment segment, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var errors = Check(segment.Normalized(), await ChoicesAsync(cancellationToken).ConfigureAwait(false), prefix);
        return errors.Any ? Check(segment.Normalized(), await ChoicesAsync(cancellationToken, fresh: true).ConfigureAwait(false), prefix) : errors;
    }

    /// <summary>The segment as a test of members, with the values offered now.</summary>
    public async Task<AudienceFilter> FilterAsync(AudienceSegment segment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return new AudienceFilter(segment.Normalized(), await ChoicesAsync(cancellationToken).ConfigureAwait(false), communes);
    }

    /// <summary>The segment in words, criterion by criterion, with the labels staff picked (« Secteurs : Mobilité »).</summary>
    public static IReadOnlyList<(string Criterion, string Values)> Describe(AudienceSegment segment, AudienceChoices choices)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(choices);
        var s = segment.Normalized();
        var lines = new List<(string, string)>();
        var places = Labels(s.Epcis, choices.Epcis).Concat(Labels(s.Communes, choices.Communes)).Concat(Labels(s.Quartiers, choices.Quartiers, "Rennes, quartier ")).ToList();
        void Add(string criterion, IEnumerable<string> values)
        {
            var list = values.ToList();
            if (list.Count > 0)
            {
                lines.Add((criterion, string.Join(", ", list)));
            }
        }

        Add("Territoire", places);
        Add("Secteurs", Labels(s.Sectors, choices.Sectors));
        Add("Types de structure", Labels(s.Kinds, choices.Kinds));
        Add("Étiquettes", Labels(s.Tags, choices.Tags));
        return lines;
    }

    private static IEnumerable<string> Labels(IReadOnlyList<string> codes, IEnumerable<CriterionValue> values, string prefix = "")
    {
        var byCode = values.GroupBy(v => v.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);
        return codes.Select(c => prefix + byCode.GetValueOrDefault(c, c));
    }

    private static FieldErrors Check(AudienceSegment segment, AudienceChoices choices, string prefix)
    {
        var errors = new FieldErrors();
        void Each(IReadOnlyList<string> given, IEnumerable<CriterionValue> offered, string name, string unknown)
        {
            var codes = offered.Select(v => v.Code).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < given.Count; i++)
            {
                if (!codes.Contains(given[i]))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}.{name}[{i}]"), $"{unknown} : « {Shorten(given[i])} ». Choisissez parmi les valeurs proposées.");
                }
            }

            if (given.Count > 200)
            {
                errors.Add($"{prefix}.{name}", "Au plus 200 valeurs par critère.");
            }
        }

        Each(segment.Epcis, choices.Epcis, "epcis", "EPCI inconnu du Pays de Rennes");
        Each(segment.Communes, choices.Communes, "communes", "Commune inconnue du Pays de Rennes");
        Each(segment.Quartiers, choices.Quartiers, "quartiers", "Quartier de Rennes inconnu");
        Each(segment.Sectors, choices.Sectors, "sectors", "Secteur inconnu");
        Each(segment.Kinds, choices.Kinds, "kinds", "Type de structure inconnu");
        Each(segment.Tags, choices.Tags, "tags", "Étiquette inconnue");
        return errors;
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";

    private List<TerritoryGroup> Territories() =>
        [.. CommuneDirectory.PaysDeRennesEpcis.Select(epci => new TerritoryGroup(
            new CriterionValue(epci.Key, epci.Value),
            [.. communes.All.Where(c => c.EpciCode == epci.Key)
                .OrderBy(c => TextKey.Of(c.Name), StringComparer.Ordinal)
                .Select(c => new CriterionValue(c.InseeCode, c.Name))]))];

    private sealed record Cached(AudienceChoices Choices, DateTimeOffset At);

    /// <summary>One value per code, in the first source's order; spellings of every source kept.</summary>
    private static List<CriterionValue> Merge(IEnumerable<CriterionValue> values) =>
        [.. values.GroupBy(v => v.Code, StringComparer.Ordinal)
            .Select(g => g.First() with { Spellings = [.. g.SelectMany(v => v.Spellings ?? []).Distinct(StringComparer.Ordinal)] })];
}

/// <summary>
/// A segment as a test of members. A member who is somewhere (a directory actor) meets the territory when it is
/// in one of the chosen places, a sector or a kind or a tag when it carries one of the chosen values. A member who
/// follows interests (a subscriber) meets the territory when one of its EPCIs holds a chosen place (or when it
/// follows every territory), a sector when it follows one of the chosen sectors under any spelling (or every
/// sector); it has no kind and no tag, so a segment on kinds or tags reaches only the directory.
/// </summary>
public sealed class AudienceFilter
{
    private readonly AudienceSegment _segment;
    private readonly HashSet<string> _epcis;
    private readonly HashSet<string> _communes;
    private readonly HashSet<string> _quartiers;
    private readonly HashSet<string> _kinds;
    private readonly HashSet<string> _sectors;
    private readonly HashSet<string> _tagKeys;

    /// <summary>The EPCIs that hold a chosen place, for members who follow EPCIs.</summary>
    private readonly HashSet<string> _epcisHoldingAPlace;

    /// <summary>Every spelling (as a <see cref="TextKey"/>) of every chosen sector.</summary>
    private readonly HashSet<string> _sectorSpellings;

    internal AudienceFilter(AudienceSegment segment, AudienceChoices choices, CommuneDirectory communes)
    {
        _segment = segment;
        _epcis = [.. segment.Epcis];
        _communes = [.. segment.Communes];
        _quartiers = [.. segment.Quartiers];
        _kinds = [.. segment.Kinds];
        _sectors = [.. segment.Sectors];
        _tagKeys = [.. segment.Tags.Select(TextKey.Of)];
        _epcisHoldingAPlace = [.. segment.Epcis];
        foreach (var code in segment.Communes.Concat(segment.Quartiers.Count > 0 ? [Quartiers.RennesInseeCode] : []))
        {
            if (communes.FindByInseeCode(code)?.EpciCode is { } epci)
            {
                _epcisHoldingAPlace.Add(epci);
            }
        }

        _sectorSpellings = [.. choices.Sectors
            .Where(v => _sectors.Contains(v.Code))
            .SelectMany(v => (v.Spellings ?? []).Append(v.Code).Append(v.Label))
            .Select(TextKey.Of)];
    }

    public AudienceSegment Segment => _segment;

    public bool Matches(AudienceMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return MeetsTerritory(member) && MeetsSector(member)
            && (_kinds.Count == 0 || (member.Kind is { } kind && _kinds.Contains(kind)))
            && (_tagKeys.Count == 0 || member.Tags.Any(t => _tagKeys.Contains(TextKey.Of(t))));
    }

    private bool MeetsTerritory(AudienceMember member)
    {
        if (!_segment.HasTerritory)
        {
            return true;
        }

        if (member.Place is { } place)
        {
            return (place.Epci is { } epci && _epcis.Contains(epci))
                || (place.Commune is { } commune && _communes.Contains(commune))
                || (place.Quartier is { } quartier && _quartiers.Contains(quartier));
        }

        return member.Territories.Count == 0 || member.Territories.Any(_epcisHoldingAPlace.Contains);
    }

    private bool MeetsSector(AudienceMember member)
    {
        if (_sectors.Count == 0)
        {
            return true;
        }

        return member.FollowsInterests
            ? member.Sectors.Count == 0 || member.Sectors.Any(s => _sectorSpellings.Contains(TextKey.Of(s)))
            : member.Sectors.Any(_sectors.Contains);
    }
}
