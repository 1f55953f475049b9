using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The directory's answer to the newsletter's spotlight: point reads by id, and what the public may read of
/// an actor (name, kind, commune, website, sectors). Staff notes and contacts never leave the directory.
/// </summary>
public sealed class DirectorySpotlightSource(ActorStore store, VocabularyStore vocabularies) : ISpotlightDirectory
{
    public async Task<IReadOnlyDictionary<string, Spotlight>> FindAsync(IReadOnlyCollection<string> actorIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actorIds);
        var found = await Task.WhenAll(actorIds.Distinct(StringComparer.Ordinal).Select(id => store.GetAsync(id, cancellationToken))).ConfigureAwait(false);
        var vocabulary = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        return found.OfType<ActorEntity>().ToDictionary(a => a.RowKey, a => ToSpotlight(a, vocabulary), StringComparer.Ordinal);
    }

    private static Spotlight ToSpotlight(ActorEntity actor, DirectoryVocabularies vocabulary)
    {
        var kind = vocabulary.Kinds.Label(actor.Kind);
        var sectors = ActorEntity.SplitList(actor.Sectors).Select(vocabulary.Sectors.Label).ToList();
        var description = sectors.Count == 0 ? kind : $"{kind} : {string.Join(" ; ", sectors).ToLower(System.Globalization.CultureInfo.GetCultureInfo("fr-FR"))}.";
        return new Spotlight(actor.RowKey, actor.Name, kind, actor.CommuneName, actor.Website, description);
    }
}
