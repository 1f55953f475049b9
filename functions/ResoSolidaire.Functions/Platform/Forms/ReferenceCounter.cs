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
/// Hands out references such as PP-2026-0042: one counter row per prefix and year (Paris time), always
/// updated with its ETag, so that submissions on any number of instances never share a number.
/// Within an instance, the requests waiting at the same moment are served by one update that
/// reserves as many numbers as there are waiters: concurrent submissions do not fight over the row.
/// </summary>
public sealed class ReferenceCounter(StorageProvisioning storage, TimeProvider time)
{
    public const string TableName = "FormCounters";

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private readonly Dictionary<string, Allocator> _allocators = new(StringComparer.Ordinal);

    public async Task<string> NextAsync(string prefix, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken).ConfigureAwait(false);
        var year = TimeZoneInfo.ConvertTime(time.GetUtcNow(), Paris).Year.ToString(CultureInfo.InvariantCulture);
        Allocator allocator;
        lock (_allocators)
        {
            if (!_allocators.TryGetValue(prefix + "|" + year, out allocator!))
            {
                _allocators[prefix + "|" + year] = allocator = new Allocator(table, prefix, year, time);
            }
        }

        var number = await allocator.NextAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}-{year}-{number:D4}");
    }

    /// <summary>Serves the numbers of one counter row, one storage update per group of waiting requests.</summary>
    private sealed class Allocator(TableClient table, string partition, string row, TimeProvider time)
    {
        private readonly object _gate = new();
        private List<TaskCompletionSource<int>> _waiting = [];
        private bool _running;
        private ReferenceCounterEntity? _known;

        public Task<int> NextAsync()
        {
            var waiter = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _waiting.Add(waiter);
                if (_running)
                {
                    return waiter.Task;
                }

                _running = true;
            }

            _ = Task.Run(ServeAsync);
            return waiter.Task;
        }

        private async Task ServeAsync()
        {
            while (true)
            {
                List<TaskCompletionSource<int>> group;
                lock (_gate)
                {
                    if (_waiting.Count == 0)
                    {
                        _running = false;
                        return;
                    }

                    group = _waiting;
                    _waiting = [];
                }

                try
                {
                    var first = await ReserveAsync(group.Count).ConfigureAwait(false);
                    for (var i = 0; i < group.Count; i++)
                    {
                        group[i].TrySetResult(first + i);
                    }
                }
                catch (Exception ex)
                {
                    foreach (var waiter in group)
                    {
                        waiter.TrySetException(ex);
                    }
                }
            }
        }

        /// <summary>Moves the counter on by <paramref name="count"/> and returns the first number reserved.</summary>
        private async Task<int> ReserveAsync(int count)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    if (_known is null)
                    {
                        var found = await table.GetEntityIfExistsAsync<ReferenceCounterEntity>(partition, row).ConfigureAwait(false);
                        if (!found.HasValue || found.Value is null)
                        {
                            var created = new ReferenceCounterEntity { PartitionKey = partition, RowKey = row, Last = count };
                            var added = await table.AddEntityAsync(created).ConfigureAwait(false);
                            created.ETag = added.Headers.ETag ?? default;
                            _known = created;
                            return 1;
                        }

                        _known = found.Value;
                    }

                    var first = _known.Last + 1;
                    var next = new ReferenceCounterEntity { PartitionKey = partition, RowKey = row, Last = _known.Last + count };
                    var updated = await table.UpdateEntityAsync(next, _known.ETag, TableUpdateMode.Replace).ConfigureAwait(false);
                    next.ETag = updated.Headers.ETag ?? default;
                    _known = next;
                    return first;
                }
                catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
                {
                    // Another instance moved the counter: read it again, after a short random pause.
                    _known = null;
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + (attempt * 5))), time).ConfigureAwait(false);
                }
            }

            throw new InvalidOperationException("No reference could be reserved after 50 attempts.");
        }
    }
}
