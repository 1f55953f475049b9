namespace ResoSolidaire.Functions.Exports;

/// <summary>
/// Neutralises spreadsheet formula injection (CSV injection): a text cell that begins with = + - @, a tab
/// or a carriage return is prefixed with an apostrophe, so Excel and LibreOffice show it as text instead of
/// evaluating it. Applied to text cells of the CSV and XLSX exports; numbers and dates are typed, never text.
/// </summary>
public static class FormulaGuard
{
    public const char Prefix = '\'';

    public static bool IsDangerous(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static string Neutralise(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsDangerous(value) ? Prefix + value : value;
    }
}
