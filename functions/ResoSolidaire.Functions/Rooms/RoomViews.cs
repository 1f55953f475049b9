namespace ResoSolidaire.Functions.Rooms;

/// <summary>Opening hours of one weekday: <paramref name="Hours"/> for programs (« 09:00-12:00 »), <paramref name="Text"/> for people (« 9 h – 12 h, 14 h – 18 h »).</summary>
public sealed record OpeningDay(string Day, string Label, IReadOnlyList<string> Hours, string Text);

/// <summary>A closed period, both days included.</summary>
public sealed record ClosedPeriodView(string From, string To);

/// <summary>A published room as the public sees it: no contact (requests go through Réso Solidaire), its photos and its calendar.</summary>
public sealed record RoomView(
    string Id,
    string Name,
    string Lender,
    string Kind,
    string KindLabel,
    int Capacity,
    IReadOnlyList<string> Equipment,
    IReadOnlyList<string> EquipmentLabels,
    bool Accessible,
    string Address,
    string CommuneInsee,
    string Commune,
    string? Epci,
    string? EpciName,
    string Conditions,
    string ConditionsLabel,
    string? Price,
    string? Description,
    IReadOnlyList<OpeningDay> Hours,
    IReadOnlyList<ClosedPeriodView> ClosedPeriods,
    IReadOnlyList<string> Photos,
    string Calendar)
{
    public static RoomView From(RoomEntity room, RoomLinks links)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(links);
        var slots = room.Slots;
        return new RoomView(
            room.RowKey,
            room.Name,
            room.Structure,
            room.Kind,
            RoomVocabulary.Label(RoomVocabulary.Kinds, room.Kind),
            room.Capacity,
            room.EquipmentCodes,
            [.. room.EquipmentCodes.Select(e => RoomVocabulary.Label(RoomVocabulary.Equipment, e))],
            room.Accessible,
            room.Address,
            room.CommuneInsee,
            room.CommuneName,
            room.Epci,
            room.Epci is null ? null : Territory.CommuneDirectory.PaysDeRennesEpcis.GetValueOrDefault(room.Epci),
            room.Conditions,
            RoomVocabulary.Label(RoomVocabulary.Conditions, room.Conditions),
            room.Price,
            room.Description,
            [.. Schedule.Days.Where(d => slots.Any(s => s.Day == d.Day)).Select(d => new OpeningDay(d.Field, d.Label, [.. slots.Where(s => s.Day == d.Day).Select(s => s.Hours.ToString())], Schedule.DayText(slots, d.Day)))],
            [.. room.Closed.Select(p => new ClosedPeriodView(LocalDates.ToText(p.From), LocalDates.ToText(p.To)))],
            [.. room.PhotoList.Select(p => $"rooms/{room.RowKey}/photos/{p.Number}")],
            links.RoomFeed(room.RowKey));
    }
}
