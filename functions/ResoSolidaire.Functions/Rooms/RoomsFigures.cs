using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>The room sharing's part of the activity report: rooms offered, bookings, hours lent, structures involved.</summary>
public sealed class RoomsFigures(RoomCatalog catalog, BookingService bookings) : IActivityFigures
{
    public int Order => 70;

    public async Task<ReportSection> ComputeAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var rooms = await catalog.ListAsync(null, cancellationToken).ConfigureAwait(false);
        var offered = rooms.Where(r => r.Status is RoomStatus.Published or RoomStatus.Withdrawn && r.ModeratedAt is { } at && at < period.End).ToList();
        var requests = await bookings.ListAsync(null, cancellationToken).ConfigureAwait(false);

        // A booked date counts in the period it falls in; a cancelled request's dates were released.
        var booked = requests
            .Where(r => r.Status == RequestStatus.Accepted)
            .SelectMany(r => r.ConfirmedList.Where(period.Contains).Select(d => (Request: r, Day: d)))
            .ToList();
        var bookedRequests = booked.Select(b => b.Request).DistinctBy(r => r.Reference).ToList();
        var hours = booked.Sum(b => b.Request.Hours.Hours);
        var lenders = booked.Select(b => rooms.FirstOrDefault(r => r.RowKey == b.Request.RoomId)?.ActorId).OfType<string>().Distinct(StringComparer.Ordinal).Count();
        var borrowers = bookedRequests.Select(r => r.Structure is null ? "personne:" + r.EmailHash : "structure:" + TextKey.Of(r.Structure)).Distinct(StringComparer.Ordinal).Count();
        var byRoom = booked.GroupBy(b => b.Request.RoomName, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(b => b.Request.Hours.Hours))
            .Select(g => new ReportRow(g.Key, [g.Count(), Math.Round(g.Sum(b => b.Request.Hours.Hours), 1)]))
            .ToList();
        return new ReportSection(
            "salles",
            "Salles à partager",
            [
                new ReportFigure("Salles proposées", offered.Count),
                new ReportFigure("Demandes reçues", requests.Count(r => period.Contains(r.CreatedAt))),
                new ReportFigure("Réservations confirmées", bookedRequests.Count),
                new ReportFigure("Créneaux prêtés", booked.Count),
                new ReportFigure("Heures prêtées", Math.Round(hours, 1), ReportUnit.Hours),
                new ReportFigure("Structures qui prêtent", lenders),
                new ReportFigure("Structures et personnes accueillies", borrowers),
            ],
            [new ReportTable("salles-par-salle", "Prêts par salle", "Salle", ["Créneaux", "Heures"], byRoom, ReportChart.Bars)],
            "Un créneau compte dans la période où il tombe ; les réservations annulées n'y sont pas.");
    }
}
