using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Rooms.Console;

/// <summary>The home page's lines for the rooms: offers to moderate, and requests without an answer for more than 3 days.</summary>
public sealed class RoomsAttention(RoomCatalog catalog, BookingService bookings, TimeProvider time) : IConsoleAttention
{
    public static readonly TimeSpan Waiting = TimeSpan.FromDays(3);

    public int Order => 40;

    public async Task<IReadOnlyList<AttentionItem>> ReadAsync(CancellationToken cancellationToken)
    {
        var offers = (await catalog.ListAsync(RoomStatus.Pending, cancellationToken).ConfigureAwait(false)).Count;
        var late = (await bookings.ListAsync(RequestStatus.Pending, cancellationToken).ConfigureAwait(false)).Count(r => r.CreatedAt < time.GetUtcNow() - Waiting);
        return
        [
            new AttentionItem(offers <= 1 ? "salle proposée à modérer" : "salles proposées à modérer", offers, RoomsConsole.ListPath + "?etat=pending"),
            new AttentionItem(late <= 1 ? "demande de salle sans réponse depuis plus de 3 jours" : "demandes de salle sans réponse depuis plus de 3 jours", late, RoomsConsole.RequestsPath + "?etat=en-retard"),
        ];
    }
}
