using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>Settings of the public website forms (contact, porteurs de projet, newsletter subscription, agenda proposal).</summary>
public sealed class FormsOptions : IValidatableObject
{
    public const string Section = "Forms";

    /// <summary>Where a plain HTML form (no JavaScript) is sent after a successful post (303).</summary>
    [Required(ErrorMessage = "Forms:ThankYouUrl is required (the website's thank-you page).")]
    public Uri? ThankYouUrl { get; set; }

    /// <summary>Origins (scheme://host[:port]) a redirect may lead to, separated by commas.</summary>
    [Required(ErrorMessage = "Forms:AllowedRedirectOrigins is required (the website's origins, comma-separated).")]
    public string AllowedRedirectOrigins { get; set; } = "";

    /// <summary>Key of the keyed hash that turns a client address into a rate-limit identity (never stored in clear).</summary>
    [Required(ErrorMessage = "Forms:ClientHashKey is required (a random secret of at least 32 characters; a Key Vault reference in Azure).")]
    [MinLength(32, ErrorMessage = "Forms:ClientHashKey must hold at least 32 characters.")]
    public string ClientHashKey { get; set; } = "";

    /// <summary>Accepted submissions allowed per client and per form within <see cref="RateLimitWindowSeconds"/>.</summary>
    [Range(1, 10_000, ErrorMessage = "Forms:RateLimitPermits must be between 1 and 10000.")]
    public int RateLimitPermits { get; set; } = 5;

    /// <summary>
    /// Refused posts (field errors, unreadable or oversized bodies, honeypot) allowed per client and per form
    /// within the same window: looser, so that a person fixing their own mistakes is never locked out.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Forms:RateLimitRejectedPermits must be between 1 and 100000.")]
    public int RateLimitRejectedPermits { get; set; } = 30;

    /// <summary>
    /// How many X-Forwarded-For entries, counted from the right, were written by our own front ends: the
    /// client is the entry that many places from the right. 1 on Azure Functions (see docs/forms.md).
    /// </summary>
    [Range(1, 10, ErrorMessage = "Forms:TrustedProxyHops must be between 1 and 10 (1 on Azure Functions, 2 behind Azure Front Door).")]
    public int TrustedProxyHops { get; set; } = 1;

    [Range(1, 86_400, ErrorMessage = "Forms:RateLimitWindowSeconds must be between 1 and 86400.")]
    public int RateLimitWindowSeconds { get; set; } = 600;

    /// <summary>The same submission posted again within this many minutes gets the first reference.</summary>
    [Range(1, 1_440, ErrorMessage = "Forms:DuplicateWindowMinutes must be between 1 and 1440.")]
    public int DuplicateWindowMinutes { get; set; } = 10;

    /// <summary>Largest JSON or url-encoded body, in bytes.</summary>
    [Range(1_024, 1_048_576, ErrorMessage = "Forms:MaxBodyBytes must be between 1024 and 1048576.")]
    public int MaxBodyBytes { get; set; } = 65_536;

    /// <summary>Largest attachment, in bytes.</summary>
    [Range(1_024, 10_485_760, ErrorMessage = "Forms:MaxFileBytes must be between 1024 and 10485760.")]
    public int MaxFileBytes { get; set; } = 10_485_760;

    [Range(0, 3, ErrorMessage = "Forms:MaxFiles must be between 0 and 3.")]
    public int MaxFiles { get; set; } = 3;

    /// <summary>Version of the consent text shown next to the consent box, stored with each submission.</summary>
    [Required(ErrorMessage = "Forms:ConsentTextVersion is required.")]
    public string ConsentTextVersion { get; set; } = "2026-01";

    /// <summary>Staff recipients of contact messages (comma-separated); Mail:StaffRecipients when empty.</summary>
    public string? ContactRecipients { get; set; }

    /// <summary>Staff recipients per contact topic (Forms:TopicRecipients:presse...); ContactRecipients when absent.</summary>
    public Dictionary<string, string> TopicRecipients { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Staff recipients of porteur-de-projet intakes (comma-separated); Mail:StaffRecipients when empty.</summary>
    public string? PorteursRecipients { get; set; }

    /// <summary>Largest multipart body: the attachments plus room for the fields.</summary>
    public long MaxMultipartBytes => ((long)MaxFileBytes * Math.Max(1, MaxFiles)) + MaxBodyBytes;

    public IReadOnlyList<string> AllowedOriginList =>
        [.. AllowedRedirectOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => o.TrimEnd('/'))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOriginList)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            {
                yield return new ValidationResult("Forms:AllowedRedirectOrigins must list origins such as https://www.reso-solidaire.fr.", [nameof(AllowedRedirectOrigins)]);
            }
        }

        if (ThankYouUrl is not null && !IsAllowed(ThankYouUrl))
        {
            yield return new ValidationResult("Forms:ThankYouUrl must be an absolute URL on one of Forms:AllowedRedirectOrigins.", [nameof(ThankYouUrl)]);
        }
    }

    /// <summary>Is this absolute http(s) URL on one of the allowed origins?</summary>
    public bool IsAllowed(Uri? url) =>
        url is { IsAbsoluteUri: true } && url.Scheme is "http" or "https"
        && AllowedOriginList.Contains(url.GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase);
}
