using System.Text.RegularExpressions;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>A span of one day, local time (Europe/Paris): from is before to.</summary>
public readonly record struct TimeRange(TimeOnly From, TimeOnly To)
{
    public bool Overlaps(TimeRange other) => From < other.To && other.From < To;

    public bool Within(TimeRange other) => other.From <= From && To <= other.To;

    public double Hours => (To - From).TotalHours;

    public override string ToString() => $"{Schedule.Text(From)}-{Schedule.Text(To)}";
}

/// <summary>Opening hours of one weekday.</summary>
public sealed record WeeklySlot(DayOfWeek Day, TimeRange Hours);

/// <summary>Days the room is closed, both included.</summary>
public sealed record ClosedPeriod(DateOnly From, DateOnly To)
{
    public bool Contains(DateOnly day) => From <= day && day <= To;
}

/// <summary>
/// When a room can be lent: its weekly opening hours and its closed periods, read from what a person types
/// (« 9h-12h, 14h-18h » for a day, « du 01/08/2026 au 31/08/2026 » for a period) and stored as plain lines.
/// </summary>
public static partial class Schedule
{
    /// <summary>The weekdays in French order (Monday first) with their field names and labels.</summary>
    public static readonly IReadOnlyList<(DayOfWeek Day, string Field, string Label)> Days =
    [
        (DayOfWeek.Monday, "monday", "Lundi"),
        (DayOfWeek.Tuesday, "tuesday", "Mardi"),
        (DayOfWeek.Wednesday, "wednesday", "Mercredi"),
        (DayOfWeek.Thursday, "thursday", "Jeudi"),
        (DayOfWeek.Friday, "friday", "Vendredi"),
        (DayOfWeek.Saturday, "saturday", "Samedi"),
        (DayOfWeek.Sunday, "sunday", "Dimanche"),
    ];

    public static string DayLabel(DayOfWeek day) => Days.First(d => d.Day == day).Label;

    public static string Text(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>« 9 h », « 14 h 30 »: a time as French readers write it.</summary>
    public static string French(TimeOnly time) => time.Minute == 0 ? $"{time.Hour} h" : $"{time.Hour} h {time.Minute:00}";

    /// <summary>« de 9 h à 12 h »: hours inside a sentence.</summary>
    public static string French(TimeRange range) => $"de {French(range.From)} à {French(range.To)}";

    /// <summary>« 9 h – 12 h »: hours in a list or a table cell (and typed back by the console's form).</summary>
    public static string FrenchSpan(TimeRange range) => $"{French(range.From)} – {French(range.To)}";

    /// <summary>A time typed as 9:00, 09:00, 9h, 9h30 or 09 h 30; null when it is none of these.</summary>
    public static TimeOnly? ParseTime(string? text)
    {
        var match = TimePattern().Match((text ?? "").Trim());
        if (!match.Success)
        {
            return null;
        }

        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        return hour is >= 0 and <= 23 && minute is >= 0 and <= 59 ? new TimeOnly(hour, minute) : null;
    }

    /// <summary>The hours of one day as typed (« 9h-12h, 14h-18h »); null with an error message when they cannot be read.</summary>
    public static (IReadOnlyList<TimeRange>? Ranges, string? Error) ParseDay(string? text)
    {
        var clean = (text ?? "").Trim();
        if (clean.Length == 0)
        {
            return ([], null);
        }

        if (clean.Length > 100)
        {
            return (null, "Écrivez les horaires en moins de 100 caractères (exemple : 9h-12h, 14h-18h).");
        }

        var ranges = new List<TimeRange>();
        foreach (var part in RangeSeparator().Split(clean).Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            var bounds = BoundSeparator().Split(part);
            if (bounds.Length != 2 || ParseTime(bounds[0]) is not { } from || ParseTime(bounds[1]) is not { } to)
            {
                return (null, $"« {part} » n'est pas une plage horaire (exemple : 9h-12h, 14h-18h).");
            }

            if (to <= from)
            {
                return (null, $"Dans « {part} », l'heure de fin doit suivre l'heure de début.");
            }

            var range = new TimeRange(from, to);
            if (ranges.Any(r => r.Overlaps(range)))
            {
                return (null, $"Les plages « {part} » et une autre se chevauchent.");
            }

            ranges.Add(range);
        }

        return ([.. ranges.OrderBy(r => r.From)], null);
    }

    /// <summary>Closed periods typed one a line (« du 01/08/2026 au 31/08/2026 », « 25/12/2026 »).</summary>
    public static (IReadOnlyList<ClosedPeriod>? Periods, string? Error) ParseClosed(string? text)
    {
        var periods = new List<ClosedPeriod>();
        foreach (var line in (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var dates = DatePattern().Matches(line).Select(m => ParseDate(m.Value)).ToList();
            if (dates.Count is 0 or > 2 || dates.Any(d => d is null))
            {
                return (null, $"« {line} » n'est pas une période (exemple : du 01/08/2026 au 31/08/2026, ou une date seule).");
            }

            var from = dates[0]!.Value;
            var to = dates[^1]!.Value;
            if (to < from)
            {
                return (null, $"Dans « {line} », la date de fin précède la date de début.");
            }

            periods.Add(new ClosedPeriod(from, to));
        }

        return periods.Count > 20 ? (null, "Indiquez au plus 20 périodes de fermeture.") : ([.. periods.OrderBy(p => p.From)], null);
    }

    /// <summary>A date typed as 31/08/2026 or 2026-08-31.</summary>
    public static DateOnly? ParseDate(string? text)
    {
        var value = (text ?? "").Trim();
        return DateOnly.TryParseExact(value, ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }

    /// <summary>Weekly hours as stored: one line per range, « 1 09:00-12:00 » (ISO day number, Monday is 1).</summary>
    public static string Store(IEnumerable<WeeklySlot> slots) =>
        string.Join('\n', slots.OrderBy(s => Iso(s.Day)).ThenBy(s => s.Hours.From).Select(s => string.Create(CultureInfo.InvariantCulture, $"{Iso(s.Day)} {s.Hours}")));

    public static IReadOnlyList<WeeklySlot> ReadSlots(string? stored) =>
        [.. (stored ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var day = int.Parse(line[..1], CultureInfo.InvariantCulture) % 7;
            var (ranges, _) = ParseDay(line[2..]);
            return new WeeklySlot((DayOfWeek)day, ranges![0]);
        })];

    public static string Store(IEnumerable<ClosedPeriod> periods) =>
        string.Join('\n', periods.Select(p => $"{LocalDates.ToText(p.From)} {LocalDates.ToText(p.To)}"));

    public static IReadOnlyList<ClosedPeriod> ReadClosed(string? stored) =>
        [.. (stored ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => new ClosedPeriod(LocalDates.Parse(line[..10])!.Value, LocalDates.Parse(line[11..])!.Value))];

    /// <summary>The hours of one day as a person reads and types them: « 9 h – 12 h, 14 h – 18 h » (<see cref="ParseDay"/> reads it back).</summary>
    public static string DayText(IEnumerable<WeeklySlot> slots, DayOfWeek day) =>
        string.Join(", ", slots.Where(s => s.Day == day).Select(s => FrenchSpan(s.Hours)));

    public static string ClosedText(IEnumerable<ClosedPeriod> periods) =>
        string.Join('\n', periods.Select(p => p.From == p.To ? p.From.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) : $"du {p.From.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} au {p.To.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}"));

    /// <summary>Why the room cannot be lent on that day at those hours, in French; null when it can.</summary>
    public static string? Unavailability(IReadOnlyList<WeeklySlot> slots, IReadOnlyList<ClosedPeriod> closed, DateOnly day, TimeRange hours)
    {
        if (closed.Any(p => p.Contains(day)))
        {
            return "la salle est fermée ce jour-là";
        }

        return slots.Any(s => s.Day == day.DayOfWeek && hours.Within(s.Hours)) ? null : "en dehors des horaires d'ouverture de la salle";
    }

    /// <summary>
    /// The dates of a request: the first, then every week or every month on the same weekday (the 2nd Tuesday;
    /// a 5th weekday is skipped in months that have none), up to <paramref name="until"/> included.
    /// </summary>
    public static IReadOnlyList<DateOnly> Occurrences(DateOnly first, string recurrence, DateOnly? until, int max)
    {
        if (recurrence == "aucune" || until is null || until < first)
        {
            return [first];
        }

        var dates = new List<DateOnly>();
        if (recurrence == "hebdomadaire")
        {
            for (var day = first; day <= until && dates.Count <= max; day = day.AddDays(7))
            {
                dates.Add(day);
            }

            return dates;
        }

        var ordinal = ((first.Day - 1) / 7) + 1;
        for (var month = new DateOnly(first.Year, first.Month, 1); month <= until && dates.Count <= max; month = month.AddMonths(1))
        {
            var firstOfKind = month.AddDays(((int)first.DayOfWeek - (int)month.DayOfWeek + 7) % 7);
            var day = firstOfKind.AddDays(7 * (ordinal - 1));
            if (day.Month == month.Month && day >= first && day <= until)
            {
                dates.Add(day);
            }
        }

        return dates;
    }

    /// <summary>« mardi 27 octobre 2026 ».</summary>
    public static string FrenchDate(DateOnly day) => day.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"));

    private static int Iso(DayOfWeek day) => day == DayOfWeek.Sunday ? 7 : (int)day;

    [GeneratedRegex(@"^(?<h>\d{1,2})\s*(?:[:h]\s*(?<m>\d{2})?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"\s*(?:,|;|\bet\b)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex RangeSeparator();

    [GeneratedRegex(@"\s*(?:-|–|\bà\b)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex BoundSeparator();

    [GeneratedRegex(@"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
