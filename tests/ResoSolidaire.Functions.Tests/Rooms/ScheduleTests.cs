using ResoSolidaire.Functions.Rooms;

namespace ResoSolidaire.Functions.Tests.Rooms;

public sealed class ScheduleTests
{
    [Theory]
    [InlineData("9h-12h, 14h-18h", "09:00-12:00|14:00-18:00")]
    [InlineData("09:00 - 12:30", "09:00-12:30")]
    [InlineData("14 h 30 à 17 h et 8h-10h", "08:00-10:00|14:30-17:00")]
    [InlineData("", "")]
    public void OpeningHoursAreReadAsPeopleWriteThem(string typed, string expected)
    {
        var (ranges, error) = Schedule.ParseDay(typed);

        Assert.Null(error);
        Assert.Equal(expected, string.Join('|', ranges!.Select(r => r.ToString())));
    }

    [Theory]
    [InlineData("midi", "« midi » n'est pas une plage horaire (exemple : 9h-12h, 14h-18h).")]
    [InlineData("18h-9h", "Dans « 18h-9h », l'heure de fin doit suivre l'heure de début.")]
    [InlineData("9h-12h, 11h-13h", "Les plages « 11h-13h » et une autre se chevauchent.")]
    public void HoursThatCannotBeReadGetAFrenchMessage(string typed, string message)
    {
        var (ranges, error) = Schedule.ParseDay(typed);

        Assert.Null(ranges);
        Assert.Equal(message, error);
    }

    [Fact]
    public void ClosedPeriodsAreReadOneALineAsRangesOrSingleDays()
    {
        var (periods, error) = Schedule.ParseClosed("du 01/08/2027 au 22/08/2027\n2027-12-25");

        Assert.Null(error);
        Assert.Equal([new ClosedPeriod(new(2027, 8, 1), new(2027, 8, 22)), new ClosedPeriod(new(2027, 12, 25), new(2027, 12, 25))], periods);
    }

    [Fact]
    public void AWeeklyRequestRepeatsOnTheSameWeekdayUntilItsLastDayIncluded()
    {
        var dates = Schedule.Occurrences(new DateOnly(2027, 10, 26), "hebdomadaire", new DateOnly(2027, 11, 9), 52);

        Assert.Equal([new DateOnly(2027, 10, 26), new DateOnly(2027, 11, 2), new DateOnly(2027, 11, 9)], dates);
    }

    [Fact]
    public void AMonthlyRequestKeepsTheOrdinalWeekdayAndSkipsMonthsWithoutIt()
    {
        // The 5th Tuesday: March 2027 has one (the 30th), April and May do not, June has one (the 29th).
        var dates = Schedule.Occurrences(new DateOnly(2027, 3, 30), "mensuelle", new DateOnly(2027, 6, 30), 52);

        Assert.Equal([new DateOnly(2027, 3, 30), new DateOnly(2027, 6, 29)], dates);
        Assert.Equal(
            [new DateOnly(2027, 1, 12), new DateOnly(2027, 2, 9), new DateOnly(2027, 3, 9)],
            Schedule.Occurrences(new DateOnly(2027, 1, 12), "mensuelle", new DateOnly(2027, 3, 31), 52));
    }

    [Fact]
    public void ADateIsUnavailableWhenClosedOrOutsideTheHours()
    {
        var slots = new[] { new WeeklySlot(DayOfWeek.Tuesday, new TimeRange(new(9, 0), new(18, 0))) };
        var closed = new[] { new ClosedPeriod(new(2027, 8, 1), new(2027, 8, 22)) };
        var afternoon = new TimeRange(new(14, 0), new(16, 0));

        Assert.Null(Schedule.Unavailability(slots, closed, new DateOnly(2027, 10, 26), afternoon));
        Assert.Equal("la salle est fermée ce jour-là", Schedule.Unavailability(slots, closed, new DateOnly(2027, 8, 3), afternoon));
        Assert.Equal("en dehors des horaires d'ouverture de la salle", Schedule.Unavailability(slots, closed, new DateOnly(2027, 10, 27), afternoon));
        Assert.Equal("en dehors des horaires d'ouverture de la salle", Schedule.Unavailability(slots, closed, new DateOnly(2027, 10, 26), new TimeRange(new(17, 0), new(19, 0))));
    }

    [Fact]
    public void WeeklyHoursSurviveTheirStorage()
    {
        var (ranges, _) = Schedule.ParseDay("9h-12h, 14h-18h");
        var slots = ranges!.Select(r => new WeeklySlot(DayOfWeek.Sunday, r)).Append(new WeeklySlot(DayOfWeek.Monday, ranges![0])).ToList();

        var read = Schedule.ReadSlots(Schedule.Store(slots));

        Assert.Equal(slots.OrderBy(s => s.Day == DayOfWeek.Sunday ? 7 : (int)s.Day).ThenBy(s => s.Hours.From), read);
    }

    [Fact]
    public void HoursAreShownInFrenchAndReadBackAsTyped()
    {
        var (ranges, _) = Schedule.ParseDay("9h-12h, 14h30-18h");
        IReadOnlyList<WeeklySlot> slots = [.. ranges!.Select(r => new WeeklySlot(DayOfWeek.Monday, r))];

        var shown = Schedule.DayText(slots, DayOfWeek.Monday);

        Assert.Equal("9 h – 12 h, 14 h 30 – 18 h", shown);
        Assert.Equal(ranges, Schedule.ParseDay(shown).Ranges);
        Assert.Equal("de 14 h 30 à 18 h", Schedule.French(ranges![1]));
    }
}
