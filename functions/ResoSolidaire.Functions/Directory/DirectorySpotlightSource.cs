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

    public async Task<IReadOnlyList<Spotlight>> SearchAsync(string text, int max, CancellationToken cancellationToken)
    {
        var key = TextKey.Of(text);
        if (key.Length == 0)
        {
            return [];
        }

        var structures = string.Join(" and ", ActorKinds.Persons.Select(kind => TableClient.CreateQueryFilter($"Kind ne {kind}")));
        var vocabulary = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<ActorEntity>();
        await foreach (var actor in store.ScanAsync(structures, cancellationToken).ConfigureAwait(false))
        {
            if (actor.NameKey.Contains(key, StringComparison.Ordinal))
            {
                found.Add(actor);
            }
        }

        return [.. found.OrderBy(a => a.NameKey.StartsWith(key, StringComparison.Ordinal) ? 0 : 1).ThenBy(a => a.NameKey, StringComparer.Ordinal).Take(max).Select(a => ToSpotlight(a, vocabulary))];
    }

    private static Spotlight ToSpotlight(ActorEntity actor, DirectoryVocabularies vocabulary)
    {
        var kind = vocabulary.Kinds.Label(actor.Kind);
        var sectors = ActorEntity.SplitList(actor.Sectors).Select(vocabulary.Sectors.Label).ToList();
        var description = sectors.Count == 0 ? kind : $"{kind} : {string.Join(" ; ", sectors).ToLower(System.Globalization.CultureInfo.GetCultureInfo("fr-FR"))}.";
        return new Spotlight(actor.RowKey, actor.Name, kind, actor.CommuneName, actor.Website, description);
    }
}
