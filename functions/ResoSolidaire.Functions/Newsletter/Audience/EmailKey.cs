namespace ResoSolidaire.Functions.Newsletter.Audience;

/// <summary>
/// One address, one key: addresses are compared trimmed and in lower case, and stored or signed as the
/// keyed hash of that form (<see cref="EmailHasher"/>), so that an opt-out survives the erasure of the address itself.
/// </summary>
public static class EmailKey
{
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }
}
