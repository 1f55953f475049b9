using System.Security.Cryptography;
using System.Text;

namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>
/// One address, one key: addresses are compared trimmed and in lower case, and stored or signed as the
/// SHA-256 of that form, so that an opt-out survives the erasure of the address itself.
/// </summary>
public static class EmailKey
{
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    public static string Hash(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(email))));
}
