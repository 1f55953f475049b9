using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Tests.Directory;

/// <summary>Valid SIRETs made up for tests: 13 random digits and the Luhn key.</summary>
public static class Sirets
{
    public static string Valid()
    {
        var digits = new int[14];
        digits[0] = RandomNumberGenerator.GetInt32(1, 10);
        for (var i = 1; i < 13; i++)
        {
            digits[i] = RandomNumberGenerator.GetInt32(0, 10);
        }

        for (var key = 0; key < 10; key++)
        {
            digits[13] = key;
            if (LuhnSum(digits) % 10 == 0)
            {
                break;
            }
        }

        return string.Concat(digits);
    }

    /// <summary>A valid SIRET with its last digit changed: the Luhn key no longer matches.</summary>
    public static string WithWrongKey()
    {
        var valid = Valid();
        var last = (valid[13] - '0' + 1) % 10;
        return valid[..13] + last;
    }

    private static int LuhnSum(int[] digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum;
    }
}

/// <summary>The JSON body of a valid actor; tests change what they are about.</summary>
public static class ActorBodies
{
    public static Dictionary<string, object?> Valid(string tag, string? name = null) => new()
    {
        ["name"] = name ?? $"Association Élan {tag}",
        ["kind"] = "association",
        ["legalStatus"] = "Association loi 1901",
        ["siret"] = Sirets.Valid(),
        ["sectors"] = new List<string> { "culture", "sante-social" },
        ["communeInsee"] = "35238",
        ["quartier"] = "le-blosne",
        ["address"] = "12 rue de Bourgogne",
        ["postalCode"] = "35200",
        ["emails"] = new[] { $"contact-{tag}@asso.example" },
        ["phones"] = new List<string> { "02 99 00 00 01" },
        ["website"] = "https://asso.example",
        ["tags"] = new[] { tag, "forum 2026" },
        ["newsletter"] = true,
        ["notes"] = "Rencontrée au forum.",
    };

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string field, object? value)
    {
        ArgumentNullException.ThrowIfNull(body);
        var copy = new Dictionary<string, object?>(body) { [field] = value };
        return copy;
    }
}
