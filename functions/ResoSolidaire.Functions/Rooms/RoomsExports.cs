namespace ResoSolidaire.Functions.Rooms;

/// <summary>The rooms offered, every status (status filter: pending, published, rejected, withdrawn).</summary>
public sealed class RoomsExport(RoomCatalog catalog) : IExportDataset
{
    public string Slug => "rooms";

    public string FileStem => "salles";

    public string Title => "Salles à partager";

    public string? DateRangeLabel => "Proposées";

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("id", "Identifiant"),
        new("name", "Salle"),
        new("structure", "Structure"),
        new("actorId", "Identifiant dans l'annuaire"),
        new("status", "Statut"),
        new("kind", "Type"),
        new("capacity", "Capacité"),
        new("equipment", "Équipements"),
        new("accessible", "Accessible PMR"),
        new("address", "Adresse"),
        new("commune", "Commune"),
        new("communeInsee", "Code INSEE"),
        new("conditions", "Conditions"),
        new("price", "Tarif"),
        new("hours", "Horaires"),
        new("closedPeriods", "Fermetures"),
        new("contactName", "Contact"),
        new("contactEmail", "E-mail du contact"),
        new("contactPhone", "Téléphone du contact"),
        new("offeredAt", "Proposée le"),
        new("offeredBy", "Proposée par"),
        new("moderatedAt", "Modérée le"),
        new("moderatedBy", "Modérée par"),
        new("rejectionReason", "Motif du refus"),
    ];

    public async Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(errors);
        string? status = null;
        if (ExportPages.Value(query, "status") is { } statusText && (status = RoomStatus.Terms.StoredOf(statusText)) is null)
        {
            errors["status"] = [$"Valeurs possibles : {RoomStatus.Terms.Choices}."];
        }

        var rooms = await catalog.ListAsync(status, cancellationToken).ConfigureAwait(false);
        var rows = rooms.Where(r => range.Contains(r.OfferedAt)).Select(Row).ToList();
        return new ExportPlan(_ => One(rows));
    }

    internal static async IAsyncEnumerable<IReadOnlyList<object?[]>> One(IReadOnlyList<object?[]> rows)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return rows;
    }

    private static object?[] Row(RoomEntity r) =>
    [
        r.RowKey, r.Name, r.Structure, r.ActorId, RoomStatus.Terms.Label(r.Status), RoomVocabulary.Label(RoomVocabulary.Kinds, r.Kind), r.Capacity,
        string.Join(", ", r.EquipmentCodes.Select(e => RoomVocabulary.Label(RoomVocabulary.Equipment, e))), r.Accessible, r.Address, r.CommuneName, r.CommuneInsee,
        RoomVocabulary.Label(RoomVocabulary.Conditions, r.Conditions), r.Price,
        string.Join(" ; ", Schedule.Days.Where(d => r.Slots.Any(s => s.Day == d.Day)).Select(d => $"{d.Label} {Schedule.DayText(r.Slots, d.Day)}")),
        Schedule.ClosedText(r.Closed).Replace("\n", " ; ", StringComparison.Ordinal), r.ContactName, r.ContactEmail, r.ContactPhone,
        r.OfferedAt, r.OfferedBy, r.ModeratedAt, r.ModeratedBy, r.RejectionReason,
    ];
}

/// <summary>Booking requests, one row each with its dates (from/to on the request's first date; status filter).</summary>
public sealed class RoomBookingsExport(BookingService bookings) : IExportDataset
{
    public string Slug => "room-bookings";

    public string FileStem => "réservations de salles";

    public string Title => "Réservations de salles";

    public string? DateRangeLabel => "Première date demandée";

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("reference", "Référence"),
        new("room", "Salle"),
        new("roomId", "Identifiant de la salle"),
        new("status", "Statut"),
        new("name", "Demandeur"),
        new("email", "E-mail"),
        new("phone", "Téléphone"),
        new("structure", "Structure"),
        new("purpose", "Objet"),
        new("people", "Personnes"),
        new("firstDate", "Première date"),
        new("lastDate", "Dernière date"),
        new("start", "Début"),
        new("end", "Fin"),
        new("recurrence", "Répétition"),
        new("dates", "Dates demandées"),
        new("confirmed", "Dates réservées"),
        new("hours", "Heures prêtées"),
        new("requestedAt", "Demandée le"),
        new("decidedAt", "Décidée le"),
        new("decidedBy", "Décidée par"),
        new("cancelledAt", "Annulée le"),
        new("cancelledBy", "Annulée par"),
        new("kept", "Conservée au-delà de la durée"),
        new("consentTextVersion", "Consentement : version du texte"),
    ];

    public async Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(errors);
        string? status = null;
        if (ExportPages.Value(query, "status") is { } statusText && (status = RequestStatus.Terms.StoredOf(statusText)) is null)
        {
            errors["status"] = [$"Valeurs possibles : {RequestStatus.Terms.Choices}."];
        }

        var requests = await bookings.ListAsync(status, cancellationToken).ConfigureAwait(false);
        var rows = requests.Where(r => r.DateList.Count > 0 && range.Contains(r.DateList[0])).OrderBy(r => r.Reference, StringComparer.Ordinal).Select(Row).ToList();
        return new ExportPlan(_ => RoomsExport.One(rows));
    }

    private static object?[] Row(BookingRequestEntity r) =>
    [
        r.Reference, r.RoomName, r.RoomId, RequestStatus.Terms.Label(r.Status), r.Name, r.Email, r.Phone, r.Structure, r.Purpose, r.People,
        r.DateList.Count == 0 ? null : r.DateList[0], LocalDates.Parse(r.LastDate), r.StartTime, r.EndTime, RoomVocabulary.Label(RoomVocabulary.Recurrences, r.Recurrence),
        string.Join(", ", r.DateList.Select(ExportTime.French)), string.Join(", ", r.ConfirmedList.Select(ExportTime.French)),
        (int)Math.Round(r.ConfirmedList.Count * r.Hours.Hours), r.CreatedAt, r.DecidedAt, r.DecidedBy, r.CancelledAt, r.CancelledBy, r.Kept, r.ConsentTextVersion,
    ];
}
