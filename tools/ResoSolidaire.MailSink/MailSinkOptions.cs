namespace ResoSolidaire.MailSink;

/// <summary>How a <see cref="MailSinkServer"/> listens and what it keeps.</summary>
public sealed class MailSinkOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free port.</summary>
    public int Port { get; init; } = 7072;

    /// <summary>When set, the bearer key every send must carry; when null, any non-empty key is accepted.</summary>
    public string? ApiKey { get; init; }

    /// <summary>How many requests (accepted or refused) are kept; older ones are dropped, counters keep counting.</summary>
    public int Capacity { get; init; } = 5000;

    /// <summary>Clock for received times, send_at checks, rate-limit resets and latency; tests may pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException("ApiKey must be null or a non-blank key.", nameof(ApiKey));
        }
    }
}
