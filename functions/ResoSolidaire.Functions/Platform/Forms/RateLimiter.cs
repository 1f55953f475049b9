using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Platform.Storage;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>The counter of one client for one form in one window.</summary>
public sealed class RateLimitEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Count { get; set; }

    public DateTimeOffset WindowEnd { get; set; }
}

public sealed record RateLimitDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Fixed-window rate limit kept in Table storage, since function instances share no memory: one row
/// per client hash, form and window, incremented with its ETag (a concurrent increment retries).
/// </summary>
public sealed class RateLimiter(TableServiceClient tables, StorageNames names, IOptions<FormsOptions> options, TimeProvider time)
{
    private readonly FormsOptions _options = options.Value;
    private TableClient? _table;

    public async Task<RateLimitDecision> TryAcquireAsync(string form, string clientHash, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var window = TimeSpan.FromSeconds(_options.RateLimitWindowSeconds);
        var now = time.GetUtcNow();
        var index = now.UtcTicks / window.Ticks;
        var windowEnd = new DateTimeOffset((index + 1) * window.Ticks, TimeSpan.Zero);
        var partition = KeySafe.Encode(clientHash);
        var row = KeySafe.Encode(string.Create(CultureInfo.InvariantCulture, $"{form}-{index:D12}"));

        // Most clients post once per window: try to create the counter first (one round trip).
        try
        {
            await table.AddEntityAsync(new RateLimitEntity { PartitionKey = partition, RowKey = row, Count = 1, WindowEnd = windowEnd }, cancellationToken).ConfigureAwait(false);
            return new RateLimitDecision(true, TimeSpan.Zero);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            // The client already posted in this window: count on.
        }

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var entity = (await table.GetEntityAsync<RateLimitEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (entity.Count >= _options.RateLimitPermits)
            {
                var wait = windowEnd - now;
                return new RateLimitDecision(false, wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1));
            }

            entity.Count++;
            try
            {
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return new RateLimitDecision(true, TimeSpan.Zero);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                // Another request of the same client counted at the same moment: read again.
            }
        }

        // Under such contention the client is posting far faster than any person.
        return new RateLimitDecision(false, TimeSpan.FromSeconds(1));
    }

    private async Task<TableClient> TableAsync(CancellationToken cancellationToken)
    {
        if (_table is null)
        {
            var table = tables.GetTableClient(names.Table("FormRateLimits"));
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _table = table;
        }

        return _table;
    }
}
