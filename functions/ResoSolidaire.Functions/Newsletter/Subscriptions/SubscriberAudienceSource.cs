using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>Confirmed subscribers, who follow the territories (EPCIs) and sectors of interest they chose.</summary>
public sealed class SubscriberAudienceSource(NewsletterStorage storage) : INewsletterAudienceSource
{
    public const string SourceName = "abonnes";

    public string Code => SourceName;

    public string Label => "Abonnés";

    public async IAsyncEnumerable<AudienceMember> ListAsync(AudienceSegment segment, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Kinds.Count > 0 || segment.Tags.Count > 0)
        {
            yield break; // a subscriber has neither a kind nor tags: none could meet the segment
        }

        var table = await storage.TableAsync(NewsletterStorage.Subscribers, ct).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubscriberEntity.Partition} and Status eq {SubscriberStatus.Confirmed}");
        await foreach (var s in table.QueryAsync<SubscriberEntity>(filter, select: ["Email", "Name", "Territories", "Sectors"], cancellationToken: ct).ConfigureAwait(false))
        {
            yield return new AudienceMember(s.Email, s.Name, SourceName)
            {
                Territories = SubscriberEntity.Split(s.Territories),
                Sectors = SubscriberEntity.Split(s.Sectors),
            };
        }
    }
}
