using System.Text.RegularExpressions;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// The checks the forms share. Each one normalises what a person typed (trimmed, NFC, no control
/// characters) and records a French error under the field's name when the value is not acceptable.
/// </summary>
public static partial class FieldRules
{
    /// <summary>Trims, normalises to NFC, drops control characters (keeping line breaks and tabs when multi-line).</summary>
    public static string Clean(string? value, bool multiline = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsControl(c) && c is not ('\u2028' or '\u2029' or '\u200B' or '\uFEFF'))
            {
                builder.Append(c);
            }
            else if (multiline && c is '\n' or '\t')
            {
                builder.Append(c);
            }
            else if (!multiline && c is '\n' or '\t')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC).Trim();
    }

    public static string Required(FieldErrors errors, string field, string? value, int maxLength, string label, int minLength = 1, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = Clean(value, multiline);
        if (text.Length == 0)
        {
            errors.Add(field, $"{label} est obligatoire.");
        }
        else
        {
            CheckLength(errors, field, text, maxLength, minLength);
        }

        return text;
    }

    public static string? Optional(FieldErrors errors, string field, string? value, int maxLength, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = Clean(value, multiline);
        if (text.Length == 0)
        {
            return null;
        }

        CheckLength(errors, field, text, maxLength, 1);
        return text;
    }

    /// <summary>A valid address in its one normalised form (<see cref="EmailAddress"/>); the text typed when it is not one.</summary>
    public static string Email(FieldErrors errors, string field, string? value) =>
        EmailOrNull(errors, field, value)?.Value ?? Clean(value);

    /// <summary>The address typed, parsed; null (with the French error under <paramref name="field"/>) when empty or invalid.</summary>
    public static EmailAddress? EmailOrNull(FieldErrors errors, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = Clean(value);
        if (text.Length == 0)
        {
            errors.Add(field, EmailAddress.RequiredMessage);
            return null;
        }

        if (!EmailAddress.TryParse(text, out var address))
        {
            errors.Add(field, EmailAddress.InvalidMessage);
            return null;
        }

        return address;
    }

    /// <summary>How a person reads a number <see cref="Phone"/> stored: « 02 99 00 00 02 » for a metropolitan one, others as stored.</summary>
    public static string PhoneForPeople(string? phone) =>
        phone is { Length: 12 } p && p.StartsWith("+33", StringComparison.Ordinal)
            ? "0" + p[3] + " " + string.Join(' ', Enumerable.Range(0, 4).Select(i => p.Substring(4 + (2 * i), 2)))
            : phone ?? "";

    /// <summary>A French phone number (metropolitan or overseas), returned in international form: +33612345678.</summary>
    public static string? Phone(FieldErrors errors, string field, string? value, bool required)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = Clean(value);
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(field, "Le numéro de téléphone est obligatoire.");
            }

            return null;
        }

        var normalized = NormalizePhone(text);
        if (normalized is null)
        {
            errors.Add(field, "Le numéro de téléphone n'est pas un numéro français valide (exemple : 06 12 34 56 78).");
            return text.Length > 30 ? text[..30] : text;
        }

        return normalized;
    }

    internal static string? NormalizePhone(string text)
    {
        if (text.Length > 30)
        {
            return null;
        }

        var digits = PhoneSeparators().Replace(text, "");
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = "+" + digits[2..];
        }

        var match = FrenchPhone().Match(digits);
        if (!match.Success)
        {
            return null;
        }

        if (match.Groups["national"].Success)
        {
            return "+33" + match.Groups["national"].Value;
        }

        return "+" + match.Groups["country"].Value + match.Groups["number"].Value;
    }

    /// <summary>One of the allowed codes, compared without case or accents.</summary>
    public static string? Choice(FieldErrors errors, string field, string? value, IReadOnlyDictionary<string, string> choices, string label, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(choices);
        var text = Clean(value);
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(field, $"{label} est obligatoire.");
            }

            return null;
        }

        var code = ChoiceKey(text);
        if (choices.ContainsKey(code))
        {
            return code;
        }

        errors.Add(field, $"{label} doit être l'une des valeurs suivantes : {string.Join(", ", choices.Values)}.");
        return null;
    }

    /// <summary>"Orientation étudiant" and "orientation-etudiant" are the same code.</summary>
    internal static string ChoiceKey(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(char.IsLetterOrDigit(c) ? c : '-');
        }

        return MultipleDashes().Replace(builder.ToString(), "-").Trim('-');
    }

    private static void CheckLength(FieldErrors errors, string field, string text, int maxLength, int minLength)
    {
        if (text.Length > maxLength)
        {
            errors.Add(field, $"Ce champ ne peut pas dépasser {maxLength} caractères ({text.Length} saisis).");
        }
        else if (text.Length < minLength)
        {
            errors.Add(field, $"Ce champ doit contenir au moins {minLength} caractères.");
        }
    }

    [GeneratedRegex(@"[\s.\-/()]", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneSeparators();

    // Metropolitan France 0[1-9] + 8 digits, or +33; the overseas departments have their own codes.
    [GeneratedRegex(@"^(?:0(?<national>[1-9][0-9]{8})|\+33(?<national>[1-9][0-9]{8})|\+(?<country>262|269|590|594|596|508|681|687|689)(?<number>[0-9]{6,9}))$", RegexOptions.CultureInvariant)]
    private static partial Regex FrenchPhone();

    [GeneratedRegex("-{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex MultipleDashes();
}
