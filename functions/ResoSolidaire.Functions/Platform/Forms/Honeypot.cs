using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// The field that people never see (hidden by the page) and robots fill in. A filled honeypot gets an
/// answer that looks like success, with a decoy reference; nothing is stored or mailed.
/// </summary>
public static class Honeypot
{
    /// <summary>Name of the field on the wire; an inviting name for robots.</summary>
    public const string Field = "website";

    public static bool IsTripped(string? value) => !string.IsNullOrWhiteSpace(value);

    public static string DecoyReference(string prefix, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var year = time.GetUtcNow().Year;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}-{year}-{RandomNumberGenerator.GetInt32(1000, 10000):D4}");
    }
}
