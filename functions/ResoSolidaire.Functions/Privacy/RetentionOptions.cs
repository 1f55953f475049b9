using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Privacy;

/// <summary>How long personal data is kept (CNIL guidance); the daily timer purges what is older.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Contact messages, from their receipt.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:ContactMessages must be between 1.00:00:00 and 3650.00:00:00.")]
    public TimeSpan ContactMessages { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Porteurs de projet, from the case's closing or the last contact, whichever is later.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:Porteurs must be between 1.00:00:00 and 3650.00:00:00.")]
    public TimeSpan Porteurs { get; set; } = TimeSpan.FromDays(1095);

    /// <summary>Newsletter subscriptions never confirmed, from the request.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00", ErrorMessage = "Retention:UnconfirmedSubscriptions must be between 01:00:00 and 90.00:00:00.")]
    public TimeSpan UnconfirmedSubscriptions { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Per-client rate-limit counters, from the end of their window.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00", ErrorMessage = "Retention:RateLimitRecords must be between 01:00:00 and 30.00:00:00.")]
    public TimeSpan RateLimitRecords { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Duplicate markers of the forms and handled SendGrid event ids.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00", ErrorMessage = "Retention:DedupRecords must be between 01:00:00 and 30.00:00:00.")]
    public TimeSpan DedupRecords { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Transactional mails of the outbox once sent.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Retention:OutboxSent must be between 01:00:00 and 365.00:00:00.")]
    public TimeSpan OutboxSent { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Transactional mails of the outbox that failed for good or whose fate is uncertain, from their creation.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ErrorMessage = "Retention:OutboxFailed must be between 1.00:00:00 and 365.00:00:00.")]
    public TimeSpan OutboxFailed { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The audit log of exports and requests.</summary>
    [Range(typeof(TimeSpan), "365.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:AuditLog must be between 365.00:00:00 and 3650.00:00:00.")]
    public TimeSpan AuditLog { get; set; } = TimeSpan.FromDays(1826);
}
