namespace ResoSolidaire.Functions.Platform.Storage;

/// <summary>
/// Makes any text usable as a PartitionKey or RowKey: the characters that Table storage forbids in keys
/// (/ \ # ? and control characters) and the escape character itself are written as ~XX (hex).
/// </summary>
public static class KeySafe
{
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringBuilder? builder = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsForbidden(c))
            {
                builder ??= new StringBuilder(value, 0, i, value.Length + 8);
                builder.Append('~').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder?.Append(c);
            }
        }

        var encoded = builder?.ToString() ?? value;
        return encoded.Length <= 512 ? encoded : throw new ArgumentException("A storage key may not exceed 512 characters.", nameof(value));
    }

    private static bool IsForbidden(char c) =>
        c is '/' or '\\' or '#' or '?' or '~' || char.IsControl(c);
}
