using ResoSolidaire.Functions.Platform.Tokens;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>
/// The signed links of the booking mails, each bound to one purpose and one request, and valid until the day
/// after the request's last date: the room's contact accepts, declines or proposes another slot; the requester
/// takes a proposed slot; either cancels. Each opens a French page whose button posts the decision.
/// </summary>
public sealed class RoomLinks(SignedTokens tokens, IOptions<RoomsOptions> options, TimeProvider time)
{
    public const string AcceptPurpose = "rooms-accept";
    public const string DeclinePurpose = "rooms-decline";
    public const string ProposePurpose = "rooms-propose";
    public const string TakePurpose = "rooms-take";
    public const string CancelByLenderPurpose = "rooms-cancel-lender";
    public const string CancelByBorrowerPurpose = "rooms-cancel-borrower";

    /// <summary>The route of each purpose's page, under /api/.</summary>
    public static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AcceptPurpose] = "rooms/requests/accept",
        [DeclinePurpose] = "rooms/requests/decline",
        [ProposePurpose] = "rooms/requests/propose",
        [TakePurpose] = "rooms/requests/take",
        [CancelByLenderPurpose] = "rooms/requests/cancel",
        [CancelByBorrowerPurpose] = "rooms/requests/cancel",
    };

    public SignedTokens Tokens => tokens;

    public string For(string purpose, BookingRequestEntity request, string? lastDate = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var last = LocalDates.Parse(lastDate ?? request.LastDate) ?? LocalDates.Today(time);
        var until = ExportTime.StartOfDay(last.AddDays(2));
        var lifetime = until - time.GetUtcNow();
        var token = tokens.Issue(purpose, request.Reference, lifetime > TimeSpan.FromHours(1) ? lifetime : TimeSpan.FromHours(1));
        return options.Value.Link(Routes[purpose]) + "?token=" + token;
    }

    public string RoomFeed(string roomId) => options.Value.Link($"rooms/{roomId}/calendar.ics").ToString();

    public string LenderFeed(string actorId) => options.Value.Link($"rooms/lenders/{actorId}/calendar.ics").ToString();
}
