using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Newsletter.Webhook;

public enum WebhookVerdict
{
    Valid,

    /// <summary>No signature or timestamp header.</summary>
    Missing,

    /// <summary>A signature that does not verify.</summary>
    Forged,

    /// <summary>A valid-looking request whose timestamp is too old or too far ahead (replay).</summary>
    Stale,
}

/// <summary>
/// Checks SendGrid's signed Event Webhook: ECDSA P-256 with SHA-256 over the timestamp header followed by
/// the raw body, signature in DER (base64). The platform's ECDSA is used (the same check as the SendGrid
/// package's RequestValidator, without its own curve arithmetic).
/// </summary>
public sealed class EventWebhookVerifier(IOptions<WebhookOptions> options, TimeProvider time) : IDisposable
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    private readonly ECDsa _key = WebhookOptions.TryCreateKey(options.Value.WebhookPublicKey)
        ?? throw new InvalidOperationException("SendGrid:WebhookPublicKey is not a P-256 public key.");

    private readonly TimeSpan _maxAge = options.Value.WebhookMaxAge;

    public WebhookVerdict Verify(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp))
        {
            return WebhookVerdict.Missing;
        }

        byte[] der;
        try
        {
            der = Convert.FromBase64String(signature.Trim());
        }
        catch (FormatException)
        {
            return WebhookVerdict.Forged;
        }

        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        bool valid;
        try
        {
            valid = _key.VerifyData(signed, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            valid = false;
        }

        if (!valid)
        {
            return WebhookVerdict.Forged;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerdict.Stale;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        return age.Duration() <= _maxAge ? WebhookVerdict.Valid : WebhookVerdict.Stale;
    }

    public void Dispose() => _key.Dispose();
}
