using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>Settings of the newsletter: links, send date, dispatch pace and limits.</summary>
public sealed class NewsletterOptions : IValidatableObject
{
    public const string Section = "Newsletter";

    /// <summary>Public base address of the API, ending with "/api/": links in mails are built on it.</summary>
    [Required(ErrorMessage = "Newsletter:PublicBaseUrl is required (e.g. https://api.reso-solidaire.fr/api/).")]
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Optional mailbox for the mailto: part of List-Unsubscribe.</summary>
    [EmailAddress(ErrorMessage = "Newsletter:UnsubscribeMailto must be an email address.")]
    public string? UnsubscribeMailto { get; set; }

    /// <summary>Day of the month of the default send date (1 to 28).</summary>
    [Range(1, 28, ErrorMessage = "Newsletter:SendDay must be between 1 and 28.")]
    public int SendDay { get; set; } = 5;

    /// <summary>Time of day of the default send, HH:mm in <see cref="TimeZone"/>.</summary>
    [Required(ErrorMessage = "Newsletter:SendTime is required (HH:mm).")]
    [RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$", ErrorMessage = "Newsletter:SendTime must read HH:mm.")]
    public string SendTime { get; set; } = "09:00";

    /// <summary>Time zone of send dates and agenda dates (IANA id).</summary>
    [Required(ErrorMessage = "Newsletter:TimeZone is required (Europe/Paris).")]
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>When true, the monthly draft is approved as it is created and leaves on its send date without staff approval.</summary>
    public bool AutoApprove { get; set; }

    /// <summary>Personalizations per SendGrid request (1 to 1,000).</summary>
    [Range(1, 1000, ErrorMessage = "Newsletter:BatchSize must be between 1 and 1000.")]
    public int BatchSize { get; set; } = 1000;

    /// <summary>How long one dispatch run may send before it stops and leaves the rest to the next tick.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:09:00", ErrorMessage = "Newsletter:DispatchBudget must be between 00:00:01 and 00:09:00.")]
    public TimeSpan DispatchBudget { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>Duration of the dispatcher's blob lease, in seconds (15 to 60, as Blob storage allows).</summary>
    [Range(15, 60, ErrorMessage = "Newsletter:DispatchLeaseSeconds must be between 15 and 60.")]
    public int DispatchLeaseSeconds { get; set; } = 60;

    /// <summary>Attempts of one batch on 5xx or network errors before it is marked failed.</summary>
    [Range(1, 50, ErrorMessage = "Newsletter:MaxBatchAttempts must be between 1 and 50.")]
    public int MaxBatchAttempts { get; set; } = 8;

    /// <summary>A 429 or 5xx whose wait is at most this long is waited for in the same run; longer waits end the run.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Newsletter:MaxInlineWait must be between 00:00:00 and 00:05:00.")]
    public TimeSpan MaxInlineWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between two batches (pacing; tests use it to stop a worker between batches).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Newsletter:PauseBetweenBatches must be between 00:00:00 and 00:01:00.")]
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.Zero;

    /// <summary>Weeks of approved agenda events listed in an edition.</summary>
    [Range(1, 26, ErrorMessage = "Newsletter:AgendaWeeks must be between 1 and 26.")]
    public int AgendaWeeks { get; set; } = 6;

    /// <summary>At most one confirmation mail per address within this interval.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Newsletter:ConfirmationMailInterval must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan ConfirmationMailInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of the confirmation link.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00", ErrorMessage = "Newsletter:ConfirmationLinkLifetime must be between 01:00:00 and 30.00:00:00.")]
    public TimeSpan ConfirmationLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Lifetime of the unsubscribe and preferences links of a mail.</summary>
    [Range(typeof(TimeSpan), "7.00:00:00", "3650.00:00:00", ErrorMessage = "Newsletter:RecipientLinkLifetime must be between 7.00:00:00 and 3650.00:00:00.")]
    public TimeSpan RecipientLinkLifetime { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Version of the consent text shown on the subscription form, kept with each consent.</summary>
    [Required(ErrorMessage = "Newsletter:ConsentTextVersion is required.")]
    public string ConsentTextVersion { get; set; } = "2026-01";

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public TimeOnly SendTimeOfDay => TimeOnly.ParseExact(SendTime, "HH:mm", CultureInfo.InvariantCulture);

    public Uri Link(string relative) => new(PublicBaseUrl!, relative);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || !url.AbsolutePath.EndsWith('/')))
        {
            yield return new ValidationResult("Newsletter:PublicBaseUrl must be an absolute http(s) URL ending with a slash.", [nameof(PublicBaseUrl)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult("Newsletter:TimeZone is not a known time zone.", [nameof(TimeZone)]);
        }
    }
}
