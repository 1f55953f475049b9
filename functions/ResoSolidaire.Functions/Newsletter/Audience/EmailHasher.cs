using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>
/// The key of an address (<see cref="EmailKey.Normalize"/>d) in the subscribers, the suppression list, the
/// delivery ledger, token subjects and the audit log: HMAC-SHA256 with Privacy:EmailHashKey, in lower-case hex.
/// Keyed rather than a plain SHA-256 so that a leaked key cannot be reversed by hashing candidate addresses.
/// The key gets a setting of its own (not the rotatable Forms:ClientHashKey) because changing it orphans every
/// stored key, the opt-outs kept after an erasure included.
/// </summary>
public sealed class EmailHasher(IOptions<PrivacyOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.EmailHashKey);

    public string Hash(string email) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(EmailKey.Normalize(email))));
}
