using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Platform.Storage;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>The last number given for one prefix and year.</summary>
public sealed class ReferenceCounterEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Last { get; set; }
}

/// <summary>
/// Hands out references such as PP-2026-0042: one counter row per prefix and year (Paris time),
/// incremented with its ETag, so that concurrent submissions on any instance never share a number.
/// </summary>
public sealed class ReferenceCounter(TableServiceClient tables, StorageNames names, TimeProvider time)
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private TableClient? _table;

    public async Task<string> NextAsync(string prefix, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var year = TimeZoneInfo.ConvertTime(time.GetUtcNow(), Paris).Year.ToString(CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                var found = await table.GetEntityIfExistsAsync<ReferenceCounterEntity>(prefix, year, cancellationToken: cancellationToken).ConfigureAwait(false);
                int number;
                if (!found.HasValue || found.Value is null)
                {
                    number = 1;
                    await table.AddEntityAsync(new ReferenceCounterEntity { PartitionKey = prefix, RowKey = year, Last = number }, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var counter = found.Value;
                    number = ++counter.Last;
                    await table.UpdateEntityAsync(counter, counter.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return string.Create(CultureInfo.InvariantCulture, $"{prefix}-{year}-{number:D4}");
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Someone took the number first: spread the retries so that a burst settles quickly.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 + (attempt * 5))), time, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("No reference could be reserved after 50 attempts.");
    }

    private async Task<TableClient> TableAsync(CancellationToken cancellationToken)
    {
        if (_table is null)
        {
            var table = tables.GetTableClient(names.Table("FormCounters"));
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _table = table;
        }

        return _table;
    }
}
