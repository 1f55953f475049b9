using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Kernel;

/// <summary>
/// The keyed hash of an address (of its <see cref="EmailAddress.Key"/>), stored beside every address we keep
/// (contact messages, porteurs, agenda proposals, directory actors, outbox mails) and in place of it where the
/// address itself must not stay (subscribers' row keys, the suppression list, the delivery ledger, token
/// subjects, the audit log): access and erasure find a person's records by this exact key, never by text.
/// HMAC-SHA256 with Privacy:EmailHashKey, in lower-case hex. Keyed rather than a plain SHA-256 so that a leaked
/// table cannot be reversed by hashing candidate addresses. The key gets a setting of its own (not the
/// rotatable Forms:ClientHashKey) because changing it orphans every stored key, the opt-outs kept after an
/// erasure included: it is never rotated.
/// </summary>
public sealed class EmailHasher(IOptions<EmailHashOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.EmailHashKey);

    public string Hash(EmailAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(address.Key)));
    }

    /// <summary>The hash of a stored or configured address; null when the text is not an address.</summary>
    public string? HashOrNull(string? text) => EmailAddress.TryParse(text, out var address) ? Hash(address) : null;
}
