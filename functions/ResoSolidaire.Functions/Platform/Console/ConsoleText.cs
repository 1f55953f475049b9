namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>Dates and numbers as a French reader expects them: « 2 décembre 2026 à 14 h 05 », « 1 234 », in Rennes' time.</summary>
public static class ConsoleText
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", French);

    public static string Date(DateTimeOffset instant) => Date(DateOnly.FromDateTime(Local(instant).DateTime));

    /// <summary>« 2 décembre 2026 à 14 h 05 », the time held together by no-break spaces so that a narrow column never splits it.</summary>
    public static string DateTime(DateTimeOffset instant)
    {
        var local = Local(instant);
        return $"{Date(instant)} à {local.Hour.ToString(French)}\u00A0h\u00A0{local.Minute.ToString("00", French)}";
    }

    /// <summary>An ISO date for a <c>datetime</c> attribute.</summary>
    public static string Machine(DateTimeOffset instant) => instant.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString("N0", French);

    /// <summary>« 12,5 », « 1 234 »: at most <paramref name="digits"/> decimals, none when the value is whole.</summary>
    public static string Number(double value, int digits = 1) => Math.Round(value, digits).ToString("#,##0." + new string('#', digits), French);

    /// <summary>« 1er janvier 2026 », « 2 janvier 2026 »: the first of the month as French writes it.</summary>
    public static string Day(DateOnly date) => date.Day == 1 ? "1er " + date.ToString("MMMM yyyy", French) : Date(date);

    /// <summary>« 1 message », « 3 messages »: French puts the singular on 0 and 1.</summary>
    public static string Count(int value, string singular, string plural) => $"{Number(value)} {(value <= 1 ? singular : plural)}";

    /// <summary>« 02 99 00 00 02 » for a metropolitan number stored as +33299000002; other numbers as stored.</summary>
    public static string Phone(string? phone) => FieldRules.PhoneForPeople(phone);

    private static DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris);
}
