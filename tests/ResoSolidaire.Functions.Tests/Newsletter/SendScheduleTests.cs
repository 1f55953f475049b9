using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Tests.Newsletter;

public class SendScheduleTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Fact]
    public void NineInTheMorningInParisIsEightUtcInWinter() =>
        Assert.Equal(Utc("2026-01-05T08:00:00Z"), SendSchedule.ToUtc(new DateOnly(2026, 1, 5), new TimeOnly(9, 0), Paris));

    [Fact]
    public void NineInTheMorningInParisIsSevenUtcInSummer() =>
        Assert.Equal(Utc("2026-07-05T07:00:00Z"), SendSchedule.ToUtc(new DateOnly(2026, 7, 5), new TimeOnly(9, 0), Paris));

    [Fact]
    public void ATimeSkippedByTheSpringChangeMovesForwardAnHour() =>
        Assert.Equal(Utc("2026-03-29T01:30:00Z"), SendSchedule.ToUtc(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), Paris));

    [Fact]
    public void TheNextEditionIsForTheMonthAfterTheLocalOne()
    {
        // 31 January 23:30 UTC is already 1 February in Paris: the next edition is March's.
        var time = new FakeTimeProvider(Utc("2026-01-31T23:30:00Z"));

        Assert.Equal(new DateOnly(2026, 3, 1), SendSchedule.NextEditionMonth(time.GetUtcNow(), Paris));
    }

    [Fact]
    public void TheDefaultSendDateIsTheConfiguredDayOfTheMonth() =>
        Assert.Equal(new DateOnly(2026, 12, 5), SendSchedule.DefaultSendDate(new DateOnly(2026, 12, 1), 5));

    [Fact]
    public void MonthNamesAreFrench() =>
        Assert.Equal("juillet 2026", SendSchedule.MonthName(new DateOnly(2026, 7, 1)));
}
