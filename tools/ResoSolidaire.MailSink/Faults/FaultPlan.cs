namespace ResoSolidaire.MailSink;

/// <summary>
/// Simulated failures of <c>POST /v3/mail/send</c>: a 429 or 5xx for the next N requests (or until cleared),
/// and an optional latency before every answer. A request that gets a fault is not stored.
/// </summary>
public sealed class FaultPlan
{
    /// <summary>Retry delay announced by a 429 when none is given.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private int _statusCode;
    private int _remaining;
    private TimeSpan _retryAfter;
    private TimeSpan _latency;
    private int _totalFaulted;

    /// <summary>Answer the next <paramref name="count"/> sends with <paramref name="statusCode"/> (429 or 5xx).</summary>
    public void FailNext(int statusCode, int count, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Set(statusCode, count, retryAfter);
    }

    /// <summary>Answer every send with <paramref name="statusCode"/> (429 or 5xx) until <see cref="Clear"/>.</summary>
    public void FailUntilCleared(int statusCode, TimeSpan? retryAfter = null) => Set(statusCode, Unlimited, retryAfter);

    /// <summary>Delay added before every send is answered; <see cref="TimeSpan.Zero"/> for none.</summary>
    public TimeSpan Latency
    {
        get
        {
            lock (_gate)
            {
                return _latency;
            }
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxLatency);
            lock (_gate)
            {
                _latency = value;
            }
        }
    }

    /// <summary>Removes the planned fault and the latency.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _statusCode = 0;
            _remaining = 0;
            _latency = TimeSpan.Zero;
        }
    }

    /// <summary>Sends answered with a simulated fault since start.</summary>
    public int TotalFaulted => Volatile.Read(ref _totalFaulted);

    /// <summary>The planned fault status, or null when sends are answered normally.</summary>
    public int? StatusCode
    {
        get
        {
            lock (_gate)
            {
                return _remaining != 0 ? _statusCode : null;
            }
        }
    }

    /// <summary>Faults still planned; null when failing until cleared, 0 when none.</summary>
    public int? Remaining
    {
        get
        {
            lock (_gate)
            {
                return _remaining == Unlimited ? null : _remaining;
            }
        }
    }

    public TimeSpan RetryAfter
    {
        get
        {
            lock (_gate)
            {
                return _retryAfter;
            }
        }
    }

    internal static bool IsSupported(int statusCode) => statusCode is 429 or (>= 500 and <= 599);

    internal static readonly TimeSpan MaxLatency = TimeSpan.FromMinutes(5);

    /// <summary>Consumes one planned fault, if any.</summary>
    internal Fault? TryTake()
    {
        lock (_gate)
        {
            if (_remaining == 0)
            {
                return null;
            }

            if (_remaining != Unlimited)
            {
                _remaining--;
            }

            _totalFaulted++;
            return new Fault(_statusCode, _retryAfter);
        }
    }

    private void Set(int statusCode, int count, TimeSpan? retryAfter)
    {
        if (!IsSupported(statusCode))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Only 429 and 5xx faults are simulated.");
        }

        var delay = retryAfter ?? DefaultRetryAfter;
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        lock (_gate)
        {
            _statusCode = statusCode;
            _remaining = count;
            _retryAfter = delay;
        }
    }

    private const int Unlimited = -1;

    internal sealed record Fault(int StatusCode, TimeSpan RetryAfter);
}
