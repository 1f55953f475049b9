namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>
/// When to try a refused send again, for the outbox and the newsletter dispatcher alike: exponential backoff
/// with jitter (each wait drawn between half and all of the exponential step, so mails and batches refused
/// together do not come back together), and never sooner than SendGrid's Retry-After. The waits are stored
/// (the outbox row's, the batch's NextAttemptAt): a retry survives a restart, and nothing sleeps on a request.
/// </summary>
public sealed class SendRetry(Random? random = null)
{
    /// <summary>The outbox, retried by its timer: 30 s, 1 min, 2 min... up to an hour.</summary>
    public static readonly RetrySchedule Outbox = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));

    /// <summary>A newsletter batch, retried within the dispatch run when the wait is short: 2 s, 4 s... up to 5 min.</summary>
    public static readonly RetrySchedule Dispatch = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    private readonly Random _random = random ?? Random.Shared;

    /// <summary>
    /// The wait before the attempt after <paramref name="attempts"/> failed ones: the exponential step with
    /// jitter, or SendGrid's Retry-After when it asks for longer.
    /// </summary>
    public TimeSpan Delay(RetrySchedule schedule, int attempts, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var step = schedule.First.TotalSeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var capped = Math.Min(step, schedule.Max.TotalSeconds);
        var jittered = TimeSpan.FromSeconds(capped * (0.5 + (0.5 * _random.NextDouble())));
        return retryAfter is { } wait && wait > jittered ? wait : jittered;
    }
}

/// <summary>The first step and the longest wait of an exponential backoff.</summary>
public sealed record RetrySchedule(TimeSpan First, TimeSpan Max);
