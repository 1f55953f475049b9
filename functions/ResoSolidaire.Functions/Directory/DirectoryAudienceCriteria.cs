using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The values the directory offers to target a mailing: its vocabularies as staff keep them (sectors and kinds with
/// their other spellings, so a subscriber's interest written another way still counts; the tags). A tag is offered
/// under its label, the text actors carry, which is what the audience compares.
/// </summary>
public sealed class DirectoryAudienceCriteria(VocabularyStore vocabularies) : IAudienceCriteriaSource
{
    public async Task<AudienceCriteriaValues> ReadAsync(CancellationToken cancellationToken)
    {
        var vocabulary = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        static List<CriterionValue> Offer(Vocabulary terms) => [.. terms.All.Select(t => new CriterionValue(t.Code, t.Label, t.Synonyms))];
        return new AudienceCriteriaValues(
            Offer(vocabulary.Sectors),
            Offer(vocabulary.Kinds),
            [.. vocabulary.Tags.All.Select(t => new CriterionValue(t.Label, t.Label, t.Synonyms))]);
    }
}
