using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Newsletter.Subscriptions;

namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>One recipient of a mailing, once the sources are merged; <see cref="Source"/> is the code of the source that gave it.</summary>
public sealed record Recipient(string Email, string? DisplayName, string Key, string Source = "");

/// <summary>Counts of an audience, for staff; complete once the audience has been read to its end.</summary>
public sealed class AudienceCount
{
    private readonly Dictionary<string, int> _bySource = new(StringComparer.Ordinal);

    public int Recipients { get; internal set; }

    public int Duplicates { get; internal set; }

    public int Suppressed { get; internal set; }

    /// <summary>Recipients by the code of the source that gave them (the first, for an address two sources know).</summary>
    public IReadOnlyDictionary<string, int> BySource => _bySource;

    internal void Add(string source) => _bySource[source] = _bySource.GetValueOrDefault(source) + 1;
}

/// <summary>One source's share of an audience, as the builder shows it.</summary>
public sealed record SourceShare(string Code, string Label, int Recipients, IReadOnlyList<Recipient> Sample);

/// <summary>An audience counted without sending anything: recipients by source, those left out, a few names of each source.</summary>
public sealed record AudienceEstimate(int Recipients, int Suppressed, int Duplicates, IReadOnlyList<SourceShare> Sources);

/// <summary>
/// Every source's members in the segment, deduplicated by normalised address (the first source wins:
/// subscribers are registered first) and minus the suppression list. Recipients are streamed as the
/// sources yield them: only the keys already seen are held (as a <see cref="KeySet"/>), so an audience
/// of 100,000 costs a few megabytes, and the dispatcher writes its ledger while the sources are read.
/// </summary>
public sealed class NewsletterAudience(IEnumerable<INewsletterAudienceSource> sources, AudienceCriteria criteria, SuppressionList suppressions, EmailHasher emailHasher)
{
    public async IAsyncEnumerable<Recipient> StreamAsync(AudienceSegment segment, AudienceCount count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(count);
        var filter = await criteria.FilterAsync(segment, cancellationToken).ConfigureAwait(false);
        var suppressed = await suppressions.LoadKeysAsync(null, cancellationToken).ConfigureAwait(false);
        var seen = new KeySet();
        foreach (var source in sources)
        {
            await foreach (var member in source.ListAsync(filter.Segment, cancellationToken).ConfigureAwait(false))
            {
                if (!EmailAddress.TryParse(member.Email, out var address) || !filter.Matches(member))
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
                    count.Add(member.Source);
                    yield return new Recipient(address.Value, member.DisplayName, key, member.Source);
                }
            }
        }
    }

    /// <summary>Reads the whole audience of the segment, keeping its counts and the first <paramref name="samplePerSource"/> recipients of each source.</summary>
    public async Task<AudienceEstimate> EstimateAsync(AudienceSegment segment, int samplePerSource, CancellationToken cancellationToken)
    {
        var count = new AudienceCount();
        var samples = new Dictionary<string, List<Recipient>>(StringComparer.Ordinal);
        await foreach (var recipient in StreamAsync(segment, count, cancellationToken).ConfigureAwait(false))
        {
            if (!samples.TryGetValue(recipient.Source, out var sample))
            {
                samples[recipient.Source] = sample = [];
            }

            if (sample.Count < samplePerSource)
            {
                sample.Add(recipient);
            }
        }

        return new AudienceEstimate(
            count.Recipients,
            count.Suppressed,
            count.Duplicates,
            [.. sources.Select(s => new SourceShare(s.Code, s.Label, count.BySource.GetValueOrDefault(s.Code), samples.GetValueOrDefault(s.Code) ?? []))]);
    }
}
