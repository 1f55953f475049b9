namespace ResoSolidaire.Functions.Platform.Staff;

/// <summary>
/// A comparison key for what people type: lower case, without accents, ligatures spelt out, every run
/// of punctuation or spaces turned into one space ("L'Œuvre  Solidaire" -> "l oeuvre solidaire").
/// </summary>
public static class TextKey
{
    public static string Of(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (!char.IsLetterOrDigit(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            switch (c)
            {
                case 'œ' or 'Œ': builder.Append("oe"); break;
                case 'æ' or 'Æ': builder.Append("ae"); break;
                case 'ß': builder.Append("ss"); break;
                default: builder.Append(char.ToLowerInvariant(c)); break;
            }
        }

        return builder.ToString();
    }
}
