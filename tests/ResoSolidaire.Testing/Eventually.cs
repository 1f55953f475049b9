using System.Diagnostics;

namespace ResoSolidaire.Testing;

/// <summary>Waits for something that happens in another process (a timer run, a mail) without fixed sleeps.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, Func<T?, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe().ConfigureAwait(false);
            if (done(value))
            {
                return value!;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Still waiting after {limit.TotalSeconds:0} s for {what ?? "the condition"}.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, TimeSpan? timeout = null, string? what = null) =>
        ReturnsAsync<bool>(async () => await probe().ConfigureAwait(false), v => v, timeout, what);
}
