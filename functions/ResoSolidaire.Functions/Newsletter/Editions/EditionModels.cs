using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Newsletter.Editions;

public sealed record NewsItem(string Title, string Text, string? Link = null);

/// <summary>
/// A structure of the directory put forward in an edition, by its directory id; <paramref name="Text"/> is
/// staff's own presentation (Markdown), optional: without it the directory's description is used.
/// </summary>
public sealed record SpotlightRef(string? ActorId, string? Text = null);

/// <summary>
/// A spotlit structure as the directory describes it when the edition is rendered: name, kind, commune,
/// website, a short description. Kept in the edition when it is sent, so that it reads later as it was sent.
/// </summary>
public sealed record Spotlight(string ActorId, string Name, string Kind, string? Commune, string? Website, string Description);

/// <summary>What staff write to create or change an edition (or a targeted mailing, with a segment).</summary>
public sealed record EditionInput(
    string? Subject,
    string? Intro,
    IReadOnlyList<NewsItem>? News,
    IReadOnlyList<SpotlightRef>? Spotlight,
    string? SendDate,
    string? SendTime,
    AudienceSegment? Segment,
    IReadOnlyList<string>? ExcludedEvents = null);

/// <summary>An edition as staff read it; <c>kind</c> and <c>status</c> are stable codes, each with its French label beside it.</summary>
public sealed record EditionView(
    string Id,
    string Kind,
    string KindLabel,
    string Subject,
    string Intro,
    IReadOnlyList<NewsItem> News,
    IReadOnlyList<SpotlightRef> Spotlight,
    AudienceSegment? Segment,
    string SendDate,
    string SendTime,
    DateTimeOffset SendAt,
    string Status,
    string StatusLabel,
    DateTimeOffset? ApprovedAt,
    EditionCounts Counts,
    IReadOnlyList<Spotlight>? SpotlightAsSent = null)
{
    /// <summary>Ids of the approved agenda events left out of the edition.</summary>
    public IReadOnlyList<string> ExcludedEvents { get; init; } = [];

    public string? ApprovedBy { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public string? UpdatedBy { get; init; }
}

public sealed record EditionCounts(int Recipients, int Sent, int Failed, int Uncertain, int Suppressed);

/// <summary>An event of the agenda as an edition lists it.</summary>
public sealed record AgendaLine(string Title, DateOnly Date, string? Time, string Place, string Commune, string Organiser, string? Link);

/// <summary>An approved event of an edition's weeks, and whether staff left it in.</summary>
public sealed record EditionEvent(string Id, AgendaLine Line, bool Included);

/// <summary>Everything an edition shows, at the moment it is rendered.</summary>
public sealed record EditionContent(
    string Id,
    string Subject,
    string IntroMarkdown,
    IReadOnlyList<NewsItem> News,
    IReadOnlyList<Spotlight> Spotlight,
    IReadOnlyList<AgendaLine> Agenda);

/// <summary>
/// A rendered edition. The per-recipient links are placeholders that SendGrid substitutes for each
/// personalization (<see cref="UnsubscribeTag"/>, <see cref="PreferencesTag"/>).
/// </summary>
public sealed record RenderedEdition(string Subject, string Html, string Text)
{
    public const string UnsubscribeTag = "-lien_desinscription-";
    public const string PreferencesTag = "-lien_preferences-";

    /// <summary>The version for the web archive and staff previews: links point to the public archive instead of a person's.</summary>
    public RenderedEdition ForWeb(string subscribeOrArchiveUrl) => this with
    {
        Html = Html.Replace(UnsubscribeTag, subscribeOrArchiveUrl, StringComparison.Ordinal).Replace(PreferencesTag, subscribeOrArchiveUrl, StringComparison.Ordinal),
        Text = Text.Replace(UnsubscribeTag, subscribeOrArchiveUrl, StringComparison.Ordinal).Replace(PreferencesTag, subscribeOrArchiveUrl, StringComparison.Ordinal),
    };

    public RenderedEdition ForRecipient(string unsubscribeUrl, string preferencesUrl) => this with
    {
        Html = Html.Replace(UnsubscribeTag, unsubscribeUrl, StringComparison.Ordinal).Replace(PreferencesTag, preferencesUrl, StringComparison.Ordinal),
        Text = Text.Replace(UnsubscribeTag, unsubscribeUrl, StringComparison.Ordinal).Replace(PreferencesTag, preferencesUrl, StringComparison.Ordinal),
    };
}
