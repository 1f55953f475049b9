using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The directory's share of the newsletter audience: every actor with an e-mail address whose newsletter
/// preference is not "no", at its first (main) address; a person (individu, étudiant) only with a recorded
/// consent, whatever the stored preference says (a row written before consents were recorded may still say yes).
/// The segment's kinds and places are applied in storage (one "or" per criterion); the audience applies the whole
/// segment again to what is listed. A value written before segments were checked (a label, a synonym such as
/// "insertion") is read through the vocabulary.
/// </summary>
public sealed class DirectoryAudienceSource(ActorStore store, VocabularyStore vocabularies) : INewsletterAudienceSource
{
    public const string SourceName = "annuaire";

    public string Code => SourceName;

    public string Label => "Annuaire";

    public async IAsyncEnumerable<AudienceMember> ListAsync(AudienceSegment segment, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var vocabulary = await vocabularies.CurrentAsync(ct).ConfigureAwait(false);

        // A kind of the segment, and the codes merged into it that a row may still carry.
        var kinds = segment.Kinds
            .SelectMany(k => vocabulary.Kinds.Find(k) is { } term ? vocabulary.Kinds.CodesOf(term.Code) : [k])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var filters = new List<string> { TableClient.CreateQueryFilter($"Newsletter eq {true}"), TableClient.CreateQueryFilter($"Emails ne {string.Empty}") };
        if (kinds.Count > 0)
        {
            filters.Add(AnyOf(kinds.Select(k => TableClient.CreateQueryFilter($"Kind eq {k}"))));
        }

        if (segment.HasTerritory)
        {
            filters.Add(AnyOf(segment.Epcis.Select(e => TableClient.CreateQueryFilter($"Epci eq {e}"))
                .Concat(segment.Communes.Select(c => TableClient.CreateQueryFilter($"CommuneInsee eq {c}")))
                .Concat(segment.Quartiers.Select(q => TableClient.CreateQueryFilter($"Quartier eq {q}")))));
        }

        await foreach (var actor in store.ScanAsync(string.Join(" and ", filters), ct).ConfigureAwait(false))
        {
            var emails = ActorEntity.SplitList(actor.Emails);
            if (emails.Count == 0 || (ActorKinds.IsPerson(actor.Kind) && ActorMapping.ConsentOf(actor) is null))
            {
                continue;
            }

            yield return new AudienceMember(emails[0], actor.Name, SourceName)
            {
                Place = new AudiencePlace(actor.Epci, actor.CommuneInsee, actor.Quartier),
                Sectors = ActorEntity.SplitList(actor.Sectors),
                Kind = actor.Kind,
                Tags = ActorEntity.SplitList(actor.Tags),
            };
        }
    }

    private static string AnyOf(IEnumerable<string> conditions) => "(" + string.Join(" or ", conditions) + ")";
}
