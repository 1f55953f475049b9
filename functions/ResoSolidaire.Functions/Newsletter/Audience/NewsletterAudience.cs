using ResoSolidaire.Functions.Newsletter.Subscriptions;

namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>One recipient of a mailing, once the sources are merged.</summary>
public sealed record Recipient(string Email, string? DisplayName, string Key);

/// <summary>Counts of an audience, for staff.</summary>
public sealed record AudienceCount(int Recipients, int Duplicates, int Suppressed);

/// <summary>
/// Every source's members in the segment, deduplicated by normalised address (the first source wins:
/// subscribers are registered first) and minus the suppression list, in a stable order (by key).
/// </summary>
public sealed class NewsletterAudience(IEnumerable<INewsletterAudienceSource> sources, SuppressionList suppressions)
{
    public async Task<(IReadOnlyList<Recipient> Recipients, AudienceCount Count)> CollectAsync(AudienceSegment segment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var suppressed = await suppressions.LoadAsync(cancellationToken).ConfigureAwait(false);
        var byKey = new Dictionary<string, Recipient>(StringComparer.Ordinal);
        int duplicates = 0, excluded = 0;
        foreach (var source in sources)
        {
            await foreach (var member in source.ListAsync(segment, cancellationToken).ConfigureAwait(false))
            {
                if (string.IsNullOrWhiteSpace(member.Email) || !segment.Matches(member))
                {
                    continue;
                }

                var key = EmailKey.Hash(member.Email);
                if (byKey.ContainsKey(key))
                {
                    duplicates++;
                }
                else if (suppressed.Contains(key))
                {
                    excluded++;
                    byKey[key] = null!;
                }
                else
                {
                    byKey[key] = new Recipient(member.Email.Trim(), member.DisplayName, key);
                }
            }
        }

        var recipients = byKey.Values.Where(r => r is not null).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        return (recipients, new AudienceCount(recipients.Count, duplicates, excluded));
    }
}
