using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Newsletter.Subscriptions;

namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>One recipient of a mailing, once the sources are merged.</summary>
public sealed record Recipient(string Email, string? DisplayName, string Key);

/// <summary>Counts of an audience, for staff; complete once the audience has been read to its end.</summary>
public sealed class AudienceCount
{
    public int Recipients { get; internal set; }

    public int Duplicates { get; internal set; }

    public int Suppressed { get; internal set; }
}

/// <summary>
/// Every source's members in the segment, deduplicated by normalised address (the first source wins:
/// subscribers are registered first) and minus the suppression list. Recipients are streamed as the
/// sources yield them: only the keys already seen are held (as a <see cref="KeySet"/>), so an audience
/// of 100,000 costs a few megabytes, and the dispatcher writes its ledger while the sources are read.
/// </summary>
public sealed class NewsletterAudience(IEnumerable<INewsletterAudienceSource> sources, SuppressionList suppressions, EmailHasher emailHasher)
{
    public async IAsyncEnumerable<Recipient> StreamAsync(AudienceSegment segment, AudienceCount count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(count);
        var suppressed = await suppressions.LoadKeysAsync(null, cancellationToken).ConfigureAwait(false);
        var seen = new KeySet();
        foreach (var source in sources)
        {
            await foreach (var member in source.ListAsync(segment, cancellationToken).ConfigureAwait(false))
            {
                if (!EmailAddress.TryParse(member.Email, out var address) || !segment.Matches(member))
                {
                    continue;
                }

                var key = emailHasher.Hash(address);
                if (!seen.Add(key))
                {
                    count.Duplicates++;
                }
                else if (suppressed.Contains(key))
                {
                    count.Suppressed++;
                }
                else
                {
                    count.Recipients++;
                    yield return new Recipient(address.Value, member.DisplayName, key);
                }
            }
        }
    }
}
