using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Newsletter.Webhook;

/// <summary>The SendGrid Event Webhook's verification key (SendGrid:WebhookPublicKey) and the accepted age of a signed request.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "SendGrid";

    /// <summary>The public key SendGrid shows for the signed Event Webhook (base64 of the DER SubjectPublicKeyInfo, ECDSA P-256).</summary>
    [Required(ErrorMessage = "SendGrid:WebhookPublicKey is required (the Event Webhook verification key shown by SendGrid).")]
    public string WebhookPublicKey { get; set; } = "";

    /// <summary>A signed request older (or further in the future) than this is refused as a replay.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00", ErrorMessage = "SendGrid:WebhookMaxAge must be between 00:00:30 and 01:00:00.")]
    public TimeSpan WebhookMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(WebhookPublicKey) && TryCreateKey(WebhookPublicKey) is null)
        {
            yield return new ValidationResult("SendGrid:WebhookPublicKey must be the base64 of an ECDSA P-256 public key.", [nameof(WebhookPublicKey)]);
        }
    }

    internal static ECDsa? TryCreateKey(string base64)
    {
        try
        {
            var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64.Trim()), out _);
            if (key.KeySize != 256)
            {
                key.Dispose();
                return null;
            }

            return key;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
