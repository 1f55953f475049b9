namespace ResoSolidaire.Functions.Newsletter.Editions;

/// <summary>Send dates are decided in the association's time zone (Europe/Paris); timers and storage work in UTC.</summary>
public static class SendSchedule
{
    /// <summary>The UTC instant of a local date and time; a time skipped by the spring change moves forward an hour.</summary>
    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    public static DateOnly LocalDate(DateTimeOffset utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(utc, zone).DateTime);

    /// <summary>The month whose monthly edition the draft timer prepares: the one after the current local month.</summary>
    public static DateOnly NextEditionMonth(DateTimeOffset utcNow, TimeZoneInfo zone)
    {
        var today = LocalDate(utcNow, zone);
        return new DateOnly(today.Year, today.Month, 1).AddMonths(1);
    }

    public static DateOnly DefaultSendDate(DateOnly month, int sendDay) => new(month.Year, month.Month, sendDay);

    public static string MonthlyId(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string MonthName(DateOnly month) =>
        month.ToString("MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"));
}
