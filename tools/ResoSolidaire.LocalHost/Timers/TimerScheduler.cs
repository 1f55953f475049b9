using System.Text.Json;
using ResoSolidaire.LocalHost.Http;
using ResoSolidaire.LocalHost.Rpc;
using ResoSolidaire.LocalHost.Worker;

namespace ResoSolidaire.LocalHost.Timers;

/// <summary>
/// Fires timer functions on schedule and runs non-HTTP functions on demand. A function never has
/// two runs at once: a scheduled tick that finds one running is skipped, an on-demand run waits.
/// </summary>
internal sealed class TimerScheduler : IAsyncDisposable
{
    /// <summary>Task.Delay cannot wait longer than about 24.8 days; longer waits are cut and recomputed.</summary>
    private static readonly TimeSpan _maxDelay = TimeSpan.FromDays(24);

    private readonly FunctionInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, SemaphoreSlim> _running = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TimerSchedule> _schedules = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Task> _loops = [];
    private readonly List<Task> _runs = [];

    public TimerScheduler(IEnumerable<FunctionDescriptor> functions, FunctionInvoker invoker, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _invoker = invoker;
        _time = time;
        _logger = loggerFactory.CreateLogger("Host.Timers");
        // Disabled ones too: they never fire on their schedule, but the admin API can still run them.
        foreach (var function in functions.Where(f => !f.IsHttp))
        {
            _running[function.Name] = new SemaphoreSlim(1, 1);
            if (function.IsTimer)
            {
                _schedules[function.Name] = TimerSchedule.Parse(function.Schedule ?? string.Empty, function.Name);
            }
        }
    }

    public void Start(IEnumerable<FunctionDescriptor> timers)
    {
        foreach (var timer in timers.Where(t => t.IsTimer && !t.IsDisabled))
        {
            _loops.Add(RunScheduleAsync(timer, _schedules[timer.Name], _stopping.Token));
        }
    }

    /// <summary>Runs a function now, after any run in progress; the returned task ends when it has been queued.</summary>
    public void RunNow(FunctionDescriptor function, string? input)
    {
        TypedData data = function.IsTimer
            ? TimerInput(_schedules[function.Name], _time.GetLocalNow(), isPastDue: false)
            : new TypedData { String = input ?? string.Empty };
        Track(RunExclusiveAsync(function, data, "This function was programmatically called via the host APIs.", wait: true));
    }

    private async Task RunScheduleAsync(FunctionDescriptor timer, TimerSchedule schedule, CancellationToken cancellationToken)
    {
        try
        {
            if (timer.RunOnStartup)
            {
                Track(RunExclusiveAsync(timer, TimerInput(schedule, _time.GetLocalNow(), false), "Timer fired at start-up (runOnStartup)", wait: false));
            }

            var next = schedule.Next(_time.GetLocalNow());
            _logger.LogDebug("Minuteur '{FunctionName}' : prochaine exécution {Next:O}", timer.Name, next);
            while (!cancellationToken.IsCancellationRequested)
            {
                var wait = next - _time.GetLocalNow();
                if (wait > TimeSpan.Zero)
                {
                    // Delays can wake early (or be cut at the cap): the loop re-checks the clock.
                    await Task.Delay(wait < _maxDelay ? wait : _maxDelay, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var now = _time.GetLocalNow();
                var isPastDue = schedule.Next(next) <= now;
                Track(RunExclusiveAsync(timer, TimerInput(schedule, now, isPastDue), "Timer fired", wait: false));
                next = schedule.Next(now);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RunExclusiveAsync(FunctionDescriptor function, TypedData input, string reason, bool wait)
    {
        var gate = _running[function.Name];
        if (wait)
        {
            await gate.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        else if (!await gate.WaitAsync(0).ConfigureAwait(false))
        {
            _logger.LogWarning("Minuteur '{FunctionName}' : l'exécution précédente n'est pas terminée, ce déclenchement est ignoré.", function.Name);
            return;
        }

        try
        {
            await _invoker.InvokeAsync(function, input, reason, _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static TypedData TimerInput(TimerSchedule schedule, DateTimeOffset now, bool isPastDue)
    {
        var json = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = now, Next = schedule.Next(now), LastUpdated = now },
            IsPastDue = isPastDue,
        });
        return new TypedData { Json = json };
    }

    private void Track(Task run)
    {
        lock (_runs)
        {
            _runs.RemoveAll(t => t.IsCompleted);
            _runs.Add(run);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_runs)
        {
            pending = [.. _loops, .. _runs];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or WorkerUnavailableException)
        {
            // Runs still going are ended by the worker's shutdown.
        }

        _stopping.Dispose();
    }
}
