namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>The counters of one client for one form in one window: submissions accepted, posts refused.</summary>
public sealed class RateLimitEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Accepted { get; set; }

    /// <summary>Posts refused, and posts let in whose outcome is not known yet.</summary>
    public int Rejected { get; set; }

    public DateTimeOffset WindowEnd { get; set; }
}

/// <summary>A post let in by <see cref="RateLimiter.TryEnterAsync"/>: counted as refused until it is accepted.</summary>
public sealed class RateLimitTicket
{
    internal RateLimitTicket(RateLimitEntity counters) => Counters = counters;

    /// <summary>The row as this post left it (its ETag included), so that accepting it usually costs one round trip.</summary>
    internal RateLimitEntity Counters { get; set; }
}

public sealed record RateLimitDecision(bool Allowed, TimeSpan RetryAfter, RateLimitTicket? Ticket = null);

/// <summary>
/// Fixed-window rate limit kept in Table storage, since function instances share no memory: one row per
/// client hash, form and window, updated with its ETag (a concurrent update reads again and retries).
/// </summary>
/// <remarks>
/// Two budgets share the row. A post is let in while neither is spent, and counted as refused straight
/// away (before its body is read, so that a flood costs one row update per post and nothing more); a
/// submission that passes every check is then moved to the accepted count, which is checked again, so
/// that concurrent posts cannot get more accepted submissions through than the budget allows.
/// </remarks>
public sealed class RateLimiter(StorageProvisioning storage, IOptions<FormsOptions> options, TimeProvider time)
{
    public const string TableName = "FormRateLimits";

    /// <summary>
    /// Each round of optimistic updates lets one of the posts racing on a row through, so this many rounds
    /// serve that many posts of one client in flight at once (no person has more than one or two).
    /// </summary>
    private const int MaxAttempts = 25;

    private readonly FormsOptions _options = options.Value;

    /// <summary>Lets a post in (and counts it as refused), or says how long the client must wait.</summary>
    public async Task<RateLimitDecision> TryEnterAsync(string form, string clientHash, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var window = TimeSpan.FromSeconds(_options.RateLimitWindowSeconds);
        var now = time.GetUtcNow();
        var index = now.UtcTicks / window.Ticks;
        var counters = new RateLimitEntity
        {
            PartitionKey = KeySafe.Encode(clientHash),
            RowKey = KeySafe.Encode(string.Create(CultureInfo.InvariantCulture, $"{form}-{index:D12}")),
            Rejected = 1,
            WindowEnd = new DateTimeOffset((index + 1) * window.Ticks, TimeSpan.Zero),
        };

        // Most clients post once per window: try to create the counters first (one round trip).
        try
        {
            var created = await table.AddEntityAsync(counters, cancellationToken).ConfigureAwait(false);
            counters.ETag = created.Headers.ETag ?? default;
            return new RateLimitDecision(true, TimeSpan.Zero, new RateLimitTicket(counters));
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // The client already posted in this window: count on.
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entity = (await table.GetEntityAsync<RateLimitEntity>(counters.PartitionKey, counters.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (entity.Accepted >= _options.RateLimitPermits || entity.Rejected >= _options.RateLimitRejectedPermits)
            {
                return Refused(entity.WindowEnd, now);
            }

            entity.Rejected++;
            try
            {
                var updated = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                entity.ETag = updated.Headers.ETag ?? default;
                return new RateLimitDecision(true, TimeSpan.Zero, new RateLimitTicket(entity));
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                // Another request of the same client counted at the same moment: read again.
            }
        }

        // Under such contention the client is posting far faster than any person.
        return new RateLimitDecision(false, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Moves a post let in by <see cref="TryEnterAsync"/> to the accepted count, or refuses it when the
    /// client's accepted submissions are spent (it then stays counted as refused).
    /// </summary>
    public async Task<RateLimitDecision> TryAcceptAsync(RateLimitTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var entity = ticket.Counters;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (entity.Accepted >= _options.RateLimitPermits)
            {
                return Refused(entity.WindowEnd, time.GetUtcNow());
            }

            entity.Accepted++;
            entity.Rejected = Math.Max(0, entity.Rejected - 1);
            try
            {
                var updated = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                entity.ETag = updated.Headers.ETag ?? default;
                return new RateLimitDecision(true, TimeSpan.Zero, ticket);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                // Other posts of the same client counted meanwhile: read again.
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
            {
                // The window's row is gone (purged): nothing left to count against.
                return new RateLimitDecision(true, TimeSpan.Zero, ticket);
            }

            var read = await table.GetEntityIfExistsAsync<RateLimitEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!read.HasValue)
            {
                return new RateLimitDecision(true, TimeSpan.Zero, ticket);
            }

            entity = read.Value!;
            ticket.Counters = entity;
        }

        return new RateLimitDecision(false, TimeSpan.FromSeconds(1));
    }

    private static RateLimitDecision Refused(DateTimeOffset windowEnd, DateTimeOffset now)
    {
        var wait = windowEnd - now;
        return new RateLimitDecision(false, wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1));
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);
}
