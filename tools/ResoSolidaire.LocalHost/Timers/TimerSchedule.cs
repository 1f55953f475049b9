using System.Globalization;
using NCrontab;

namespace ResoSolidaire.LocalHost.Timers;

/// <summary>A timer trigger's schedule: NCRONTAB with 6 fields (seconds first) or 5, or a TimeSpan interval.</summary>
internal sealed class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan _interval;

    private TimerSchedule(CrontabSchedule? cron, TimeSpan interval)
    {
        _cron = cron;
        _interval = interval;
    }

    public static TimerSchedule Parse(string expression, string functionName)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is 5 or 6)
        {
            var cron = CrontabSchedule.TryParse(
                string.Join(' ', fields),
                new CrontabSchedule.ParseOptions { IncludingSeconds = fields.Length == 6 });
            if (cron is not null)
            {
                return new TimerSchedule(cron, TimeSpan.Zero);
            }
        }
        else if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(null, interval);
        }

        throw new LocalHostException(
            $"La planification « {expression} » du minuteur « {functionName} » n'est pas une expression NCRONTAB valide (6 champs avec les secondes, ou 5) ni une durée.");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        if (_cron is null)
        {
            return after + _interval;
        }

        // NCrontab works on local wall-clock time, as the real host does by default.
        var local = after.ToLocalTime().DateTime;
        var next = _cron.GetNextOccurrence(local);
        return new DateTimeOffset(next, TimeZoneInfo.Local.GetUtcOffset(next));
    }
}
