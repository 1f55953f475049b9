using System.Buffers.Text;
using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Platform.Tokens;

public enum TokenStatus
{
    Valid,

    /// <summary>Malformed, forged, or signed for another purpose: these are not told apart.</summary>
    Invalid,

    /// <summary>Genuine, but past its lifetime.</summary>
    Expired,
}

public sealed record TokenCheck(TokenStatus Status, string? Subject)
{
    public bool IsValid => Status == TokenStatus.Valid;
}

/// <summary>
/// Tokens for links in mails: <c>base64url(subject \n expiry) . base64url(HMAC-SHA256(purpose \n payload))</c>.
/// The purpose is signed but not carried, so a token made for one purpose is simply invalid for another;
/// signatures are compared in constant time; the subject should be an opaque key (never an address).
/// </summary>
public sealed class SignedTokens(IOptions<TokenOptions> options, TimeProvider time)
{
    private readonly byte[] _key = options.Value.KeyBytes();

    public string Issue(string purpose, string subject, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        if (subject.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A token subject may not contain a line break.", nameof(subject));
        }

        var expires = (time.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{subject}\n{expires}")));
        return payload + "." + Base64Url.EncodeToString(Sign(purpose, payload));
    }

    public TokenCheck Verify(string purpose, string? token)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return Invalid;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1)
        {
            return Invalid;
        }

        var payload = token[..dot];
        byte[] given;
        byte[] payloadBytes;
        try
        {
            given = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            payloadBytes = Base64Url.DecodeFromChars(payload);
        }
        catch (FormatException)
        {
            return Invalid;
        }

        if (!CryptographicOperations.FixedTimeEquals(given, Sign(purpose, payload)))
        {
            return Invalid;
        }

        var text = Encoding.UTF8.GetString(payloadBytes);
        var newline = text.LastIndexOf('\n');
        if (newline <= 0 || !long.TryParse(text.AsSpan(newline + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return Invalid;
        }

        var subject = text[..newline];
        return time.GetUtcNow().ToUnixTimeSeconds() < expires
            ? new TokenCheck(TokenStatus.Valid, subject)
            : new TokenCheck(TokenStatus.Expired, null);
    }

    private byte[] Sign(string purpose, string payload) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + payload));

    private static readonly TokenCheck Invalid = new(TokenStatus.Invalid, null);
}
