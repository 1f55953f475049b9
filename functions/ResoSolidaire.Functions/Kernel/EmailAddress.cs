using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace ResoSolidaire.Functions.Kernel;

/// <summary>
/// An e-mail address as the whole app understands it, wherever one enters (forms, directory, import,
/// newsletter, privacy requests, outbox). One normalisation: trimmed and in NFC; the domain lower-cased and
/// in its ASCII (punycode) form, so « élan.fr » and « xn--lan-bma.fr » are the same domain; the local part
/// kept as written, case and +tag included (that is what mail is sent to and what staff see).
/// One comparison rule, <see cref="Key"/>: the local part compared without case (no provider we know of
/// tells « Ann » from « ann »), the +tag significant (« ann+lettre@ » is another address than « ann@ », as
/// the person chose to give it; only they can say both are theirs). Two addresses are equal when their keys
/// are, and <see cref="EmailHasher"/> hashes the key.
/// </summary>
public sealed partial class EmailAddress : IEquatable<EmailAddress>
{
    public const int MaxLength = 254;

    /// <summary>The error every field of an address shows when it is not one.</summary>
    public const string InvalidMessage = "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).";

    /// <summary>The error every required field of an address shows when it is empty.</summary>
    public const string RequiredMessage = "L'adresse e-mail est obligatoire.";

    private EmailAddress(string local, string domain)
    {
        Local = local;
        Domain = domain;
        Value = local + "@" + domain;
        Key = local.ToLowerInvariant() + "@" + domain;
    }

    /// <summary>The local part, as written.</summary>
    public string Local { get; }

    /// <summary>The domain, lower-cased, in ASCII (punycode for an international domain).</summary>
    public string Domain { get; }

    /// <summary>The address to store, display and send to: local part as written, normalised domain.</summary>
    public string Value { get; }

    /// <summary>The comparison form: local part in lower case, normalised domain. Never shown; hashed.</summary>
    public string Key { get; }

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out EmailAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim().Normalize(NormalizationForm.FormC);
        if (trimmed.Length > MaxLength || trimmed.Any(char.IsWhiteSpace) || trimmed.Any(char.IsControl) || !Shape().IsMatch(trimmed))
        {
            return false;
        }

        var at = trimmed.LastIndexOf('@');
        var local = trimmed[..at];
        string domain;
        try
        {
            domain = new IdnMapping().GetAscii(trimmed[(at + 1)..]).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (local.Length > 64 || !DomainShape().IsMatch(domain))
        {
            return false;
        }

        var value = local + "@" + domain;
        if (value.Length > MaxLength || !MailAddress.TryCreate(value, out var parsed) || parsed.Address != value)
        {
            return false;
        }

        address = new EmailAddress(local, domain);
        return true;
    }

    /// <summary>An address known to be valid (configuration, stored rows); throws otherwise.</summary>
    public static EmailAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException("Not an e-mail address.");

    public bool Equals(EmailAddress? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is EmailAddress other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => Value;

    public static bool operator ==(EmailAddress? left, EmailAddress? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(EmailAddress? left, EmailAddress? right) => !(left == right);

    // One @, no angle brackets, commas, semicolons or quotes (they would make a list or a display name).
    [GeneratedRegex(@"^[^@\s<>,;""]+@[^@\s<>,;""]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainShape();
}
