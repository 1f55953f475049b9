using System.Diagnostics;

namespace ResoSolidaire.Benchmarks;

/// <summary>The figures of one measured round.</summary>
public sealed record LoadResult(int Concurrency, int Requests, int Errors, double Seconds, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>
/// A closed-loop load: <c>concurrency</c> workers each send a request, wait for its answer, and
/// send the next, for a fixed duration. Latencies are kept whole so percentiles are exact.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(
        Func<HttpClient, int, Task<bool>> request, int concurrency, TimeSpan duration, TimeSpan warmup)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        await Loop(client, request, concurrency, warmup, null).ConfigureAwait(false);
        var latencies = new List<double>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            latencies[i] = new List<double>(16_384);
        }

        var clock = Stopwatch.StartNew();
        var errors = await Loop(client, request, concurrency, duration, latencies).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(concurrency, all.Length, errors, seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static async Task<int> Loop(HttpClient client, Func<HttpClient, int, Task<bool>> request, int concurrency, TimeSpan duration, List<double>[]? latencies)
    {
        var stop = Stopwatch.StartNew();
        var errors = 0;
        var sequence = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await request(client, Interlocked.Increment(ref sequence)).ConfigureAwait(false);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies?[worker].Add(ms);
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        return errors;
    }

    public static double Percentile(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
