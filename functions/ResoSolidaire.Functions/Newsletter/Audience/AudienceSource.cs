namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>Who a mailing goes to: everyone when every criterion is empty.</summary>
public sealed record AudienceSegment(string? Territory = null, string? Sector = null, string? Kind = null, string? Tag = null)
{
    public static readonly AudienceSegment Everyone = new();

    public bool IsEveryone => Territory is null && Sector is null && Kind is null && Tag is null;

    /// <summary>
    /// A criterion matches a member who names the value; a member who names nothing for a criterion
    /// (a subscriber interested in every territory, say) matches territory and sector, but not kind or tag.
    /// </summary>
    public bool Matches(AudienceMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Accepts(Territory, member.Territories, emptyMatches: true)
            && Accepts(Sector, member.Sectors, emptyMatches: true)
            && Accepts(Kind, member.Kind is null ? [] : [member.Kind], emptyMatches: false)
            && Accepts(Tag, member.Tags, emptyMatches: false);
    }

    private static bool Accepts(string? wanted, IReadOnlyList<string> values, bool emptyMatches) =>
        wanted is null || (values.Count == 0 ? emptyMatches : values.Contains(wanted, StringComparer.OrdinalIgnoreCase));
}

/// <summary>One possible recipient, as a source knows it. <see cref="Source"/> names the source ("abonnes", "annuaire").</summary>
public sealed record AudienceMember(string Email, string? DisplayName, string Source)
{
    /// <summary>EPCI or commune codes the member belongs to or is interested in.</summary>
    public IReadOnlyList<string> Territories { get; init; } = [];

    public IReadOnlyList<string> Sectors { get; init; } = [];

    /// <summary>Kind of structure (association, coopérative, ...), for directory actors.</summary>
    public string? Kind { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>
/// A source of newsletter recipients. Each source lists only people who may receive the newsletter
/// (confirmed, not opted out) and may already filter by segment; suppressions and duplicates are
/// removed by <see cref="NewsletterAudience"/>. Registered as <c>IEnumerable&lt;INewsletterAudienceSource&gt;</c>.
/// </summary>
public interface INewsletterAudienceSource
{
    IAsyncEnumerable<AudienceMember> ListAsync(AudienceSegment segment, CancellationToken ct);
}
