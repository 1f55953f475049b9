using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The values the directory offers to target a mailing: its sectors and kinds of actor (with their synonyms, so a
/// subscriber's interest written another way still counts) and the tags its actors carry. Deliberately one small
/// method over today's vocabularies, to be pointed at the vocabulary store when the vocabularies become data.
/// </summary>
public sealed class DirectoryAudienceCriteria(ActorStore store) : IAudienceCriteriaSource
{
    public async Task<AudienceCriteriaValues> ReadAsync(CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var actor in store.ScanAsync(TableClient.CreateQueryFilter($"Tags ne {string.Empty}"), cancellationToken).ConfigureAwait(false))
        {
            foreach (var tag in ActorEntity.SplitList(actor.Tags))
            {
                tags.TryAdd(TextKey.Of(tag), tag); // one value per tag however it is written: « Réseau », « reseau »
            }
        }

        static List<CriterionValue> Offer(Vocabulary vocabulary) => [.. vocabulary.All.Select(t => new CriterionValue(t.Code, t.Label, t.Synonyms))];
        return new AudienceCriteriaValues(Offer(Sectors.Terms), Offer(ActorKinds.Terms), [.. tags.Values.Select(tag => new CriterionValue(tag, tag))]);
    }
}
