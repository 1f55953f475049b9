namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The SIRET of an establishment: 14 digits whose Luhn checksum is valid. La Poste is the one known
/// exception (SIREN 356 000 000): its establishments' SIRETs have a digit sum divisible by 5 instead.
/// </summary>
public static class Siret
{
    private const string LaPosteSiren = "356000000";

    /// <summary>The 14 digits of a SIRET typed with or without spaces, dots or dashes; null if it is not one.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        Span<char> digits = stackalloc char[14];
        var count = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '.' or '-' or '\u00A0' or '\u202F')
            {
                continue;
            }

            if (!char.IsAsciiDigit(c) || count == 14)
            {
                return null;
            }

            digits[count++] = c;
        }

        return count == 14 ? new string(digits) : null;
    }

    /// <summary>A SIRET as it is printed: « 732 829 320 00074 » (the SIREN in threes, then the establishment's five digits).</summary>
    public static string Format(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return digits.Length == 14 ? $"{digits[..3]} {digits[3..6]} {digits[6..9]} {digits[9..]}" : digits;
    }

    public static bool IsValid(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Length != 14 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (digits.StartsWith(LaPosteSiren, StringComparison.Ordinal) && digits != "35600000000048")
        {
            return digits.Sum(c => c - '0') % 5 == 0;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }
}
