using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>How the app reaches SendGrid: the real API in Azure, the local sink elsewhere.</summary>
public sealed class SendGridOptions
{
    public const string Section = "SendGrid";

    [Required(ErrorMessage = "SendGrid:ApiKey is required (a Key Vault reference in Azure, any value for the local sink).")]
    public string ApiKey { get; set; } = "";

    /// <summary>Base address of the SendGrid API; the local sink's address locally and in tests.</summary>
    [Required(ErrorMessage = "SendGrid:Host is required (https://api.sendgrid.com in Azure).")]
    public Uri Host { get; set; } = new("https://api.sendgrid.com");
}

/// <summary>Who the association's mails come from and which staff mailboxes get notifications.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    [Required(ErrorMessage = "Mail:FromAddress is required.")]
    [EmailAddress(ErrorMessage = "Mail:FromAddress must be an email address.")]
    public string FromAddress { get; set; } = "";

    [Required(ErrorMessage = "Mail:FromName is required.")]
    public string FromName { get; set; } = "Réso Solidaire";

    /// <summary>Default staff recipients, separated by commas or semicolons.</summary>
    [Required(ErrorMessage = "Mail:StaffRecipients is required (comma-separated staff addresses).")]
    public string StaffRecipients { get; set; } = "";

    public IReadOnlyList<string> StaffRecipientList => SplitAddresses(StaffRecipients);

    internal static IReadOnlyList<string> SplitAddresses(string? value) =>
        (value ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
