using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The directory's share of the newsletter audience: every actor with an e-mail address whose newsletter
/// preference is not "no", at its first (main) address; a person (individu, étudiant) only with a recorded
/// consent, whatever the stored preference says (a row written before consents were recorded may still say yes). The segment's kind and territory are applied in
/// storage; sector and tag by the audience. Segment values are read through the directory's vocabulary
/// (a label or a synonym such as "insertion" finds "insertion-emploi"), and a member that matches carries
/// the segment's own spelling too, so that the audience's own check agrees.
/// </summary>
public sealed class DirectoryAudienceSource(ActorStore store, VocabularyStore vocabularies) : INewsletterAudienceSource
{
    public const string SourceName = "annuaire";

    public async IAsyncEnumerable<AudienceMember> ListAsync(AudienceSegment segment, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var vocabulary = await vocabularies.CurrentAsync(ct).ConfigureAwait(false);
        var kind = segment.Kind is null ? null : vocabulary.Kinds.Find(segment.Kind)?.Code;
        var sector = segment.Sector is null ? null : vocabulary.Sectors.Find(segment.Sector)?.Code;
        if ((segment.Kind is not null && kind is null) || (segment.Sector is not null && sector is null))
        {
            yield break;
        }

        var filters = new List<string> { TableClient.CreateQueryFilter($"Newsletter eq {true}"), TableClient.CreateQueryFilter($"Emails ne {string.Empty}") };
        if (kind is not null)
        {
            filters.Add("(" + string.Join(" or ", vocabulary.Kinds.CodesOf(kind).Select(k => TableClient.CreateQueryFilter($"Kind eq {k}"))) + ")");
        }

        if (segment.Territory is { } territory)
        {
            filters.Add(territory.Length == 9
                ? TableClient.CreateQueryFilter($"Epci eq {territory}")
                : TableClient.CreateQueryFilter($"CommuneInsee eq {territory}"));
        }

        var sectorCodes = sector is null ? [] : vocabulary.Sectors.CodesOf(sector);
        await foreach (var actor in store.ScanAsync(string.Join(" and ", filters), ct).ConfigureAwait(false))
        {
            var emails = ActorEntity.SplitList(actor.Emails);
            var sectors = ActorEntity.SplitList(actor.Sectors);
            if (emails.Count == 0 || (sector is not null && !sectors.Any(sectorCodes.Contains))
                || (ActorKinds.IsPerson(actor.Kind) && ActorMapping.ConsentOf(actor) is null))
            {
                continue;
            }

            yield return new AudienceMember(emails[0], actor.Name, SourceName)
            {
                Territories = new[] { actor.Epci, actor.CommuneInsee, segment.Territory }.OfType<string>().Distinct().ToList(),
                Sectors = sector is null ? sectors : [.. sectors, segment.Sector!],
                Kind = kind is null ? actor.Kind : segment.Kind,
                Tags = ActorEntity.SplitList(actor.Tags),
            };
        }
    }
}
