using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Calendar = Ical.Net.Calendar;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>One booked date of a room, as a calendar shows it.</summary>
public sealed record CalendarBooking(string Request, string RoomName, string Place, DateOnly Day, TimeRange Hours, string Label, string? Description);

/// <summary>
/// iCalendar files with Ical.Net: the invitation attached to a confirmation (METHOD:PUBLISH), its cancellation
/// (METHOD:CANCEL, same UIDs) and the feeds of a room or a structure. Times are local to Europe/Paris with the
/// zone's VTIMEZONE (from the tz database Ical.Net ships with NodaTime), so Outlook, Thunderbird and Google
/// Calendar place a booking at the same wall-clock time on either side of a daylight-saving change.
/// </summary>
public static class RoomIcs
{
    public const string TimeZone = "Europe/Paris";

    public const string ContentType = "text/calendar; charset=utf-8";

    public static string Invitation(IEnumerable<CalendarBooking> bookings, DateTimeOffset now) => Write(bookings, "PUBLISH", cancelled: false, now, name: null);

    public static string Cancellation(IEnumerable<CalendarBooking> bookings, DateTimeOffset now) => Write(bookings, "CANCEL", cancelled: true, now, name: null);

    public static string Feed(string name, IEnumerable<CalendarBooking> bookings, DateTimeOffset now) => Write(bookings, "PUBLISH", cancelled: false, now, name);

    /// <summary>The UID of one booked date: the same in the invitation, the cancellation and the feeds.</summary>
    public static string Uid(string request, DateOnly day) => $"{request}-{day:yyyyMMdd}@salles.reso-solidaire.fr";

    private static string Write(IEnumerable<CalendarBooking> bookings, string method, bool cancelled, DateTimeOffset now, string? name)
    {
        var list = bookings.ToList();
        var calendar = new Calendar { ProductId = "-//Réso Solidaire//Salles à partager//FR", Method = method };
        if (name is not null)
        {
            calendar.AddProperty("X-WR-CALNAME", name);
            calendar.AddProperty("X-WR-TIMEZONE", TimeZone);
        }

        var earliest = list.Count == 0 ? now.UtcDateTime : list.Min(b => b.Day).AddDays(-1).ToDateTime(TimeOnly.MinValue);
        calendar.AddTimeZone(TimeZone, earliest, false);
        foreach (var booking in list)
        {
            var item = new CalendarEvent
            {
                Uid = Uid(booking.Request, booking.Day),
                DtStamp = new CalDateTime(now.UtcDateTime, CalDateTime.UtcTzId),
                DtStart = new CalDateTime(booking.Day, booking.Hours.From, TimeZone),
                DtEnd = new CalDateTime(booking.Day, booking.Hours.To, TimeZone),
                Summary = $"{booking.RoomName} : {booking.Label}",
                Location = booking.Place,
                Description = booking.Description,
                Status = cancelled ? "CANCELLED" : "CONFIRMED",
                Sequence = cancelled ? 1 : 0,
                Transparency = "OPAQUE",
            };
            calendar.Events.Add(item);
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
