namespace ResoSolidaire.Functions.Newsletter.Editions;

/// <summary>
/// What the newsletter reads of the directory to put structures forward. The directory implements it
/// (registered with the staff tools), as it does <see cref="Audience.INewsletterAudienceSource"/>.
/// </summary>
public interface ISpotlightDirectory
{
    /// <summary>The structures the directory knows among <paramref name="actorIds"/>, by id; unknown ids are absent.</summary>
    Task<IReadOnlyDictionary<string, Spotlight>> FindAsync(IReadOnlyCollection<string> actorIds, CancellationToken cancellationToken);

    /// <summary>
    /// Structures (not private persons) whose name contains <paramref name="text"/> (without case or accents), by name,
    /// at most <paramref name="max"/>: what staff pick from to put a structure forward.
    /// </summary>
    Task<IReadOnlyList<Spotlight>> SearchAsync(string text, int max, CancellationToken cancellationToken);
}
