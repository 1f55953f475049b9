using ResoSolidaire.Functions.Platform.Tokens;
using ResoSolidaire.Functions.Rooms.Pages;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>Which form a link's page carries.</summary>
public enum RoomLinkForm
{
    None,
    Accept,
    Decline,
    Propose,
    Take,
    Cancel,
}

/// <summary>
/// The pages the booking mails' links open. Each GET shows the request and a button (mail scanners follow links,
/// only a person presses a button); the POST, with the same signed token, decides. A token is bound to its purpose
/// and to one request, and expires the day after the request's last date.
/// </summary>
public sealed class RoomLinkFunctions(BookingService bookings, RoomLinks links)
{
    private const int MaxFormBytes = 8 * 1024;

    private static readonly string[] PostedFields = ["message", "date", "debut", "fin"];

    private static readonly string[] NotFoundText = ["Cette demande n'existe plus : elle a peut-être été effacée à la demande de la personne."];

    private static readonly string[] BusyText = ["D'autres réservations de la salle étaient enregistrées au même moment : rien n'a été modifié. Revenez en arrière et appuyez de nouveau sur le bouton."];

    [Function(nameof(ShowAcceptance))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> ShowAcceptance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/requests/accept")] HttpRequest request) =>
        ShowAsync(request, [RoomLinks.AcceptPurpose], RequestStatus.Pending, (booking, link) => Page("Accepter la demande", ["Vérifiez la demande, puis confirmez : la personne recevra la confirmation et l'invitation pour son agenda, vous aussi."], booking, RoomLinkForm.Accept, link, "Accepter la demande"));

    [Function(nameof(AcceptRequest))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> AcceptRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rooms/requests/accept")] HttpRequest request) =>
        WithLinkAsync(request, [RoomLinks.AcceptPurpose], async link =>
        {
            var (outcome, found) = await bookings.AcceptAsync(link.Reference, Decider.Lender, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return outcome switch
            {
                DecisionOutcome.Done => Done("Demande acceptée", Booked(found!), found),
                DecisionOutcome.NothingFree => Done("Plus aucune date libre", ["Toutes les dates demandées ont été réservées entre-temps : la demande est refusée et la personne en est prévenue."], found),
                DecisionOutcome.Busy => Busy(),
                _ => Decided(found),
            };
        });

    [Function(nameof(ShowDecline))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> ShowDecline(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/requests/decline")] HttpRequest request) =>
        ShowAsync(request, [RoomLinks.DeclinePurpose], RequestStatus.Pending, (booking, link) => Page("Refuser la demande", ["La personne recevra un courriel lui disant que la salle n'est pas disponible, avec votre message s'il y en a un."], booking, RoomLinkForm.Decline, link, "Refuser la demande"));

    [Function(nameof(DeclineRequest))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> DeclineRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rooms/requests/decline")] HttpRequest request) =>
        WithLinkAsync(request, [RoomLinks.DeclinePurpose], async link =>
        {
            var errors = new FieldErrors();
            var message = FieldRules.Optional(errors, "message", link.Field("message"), 1000, multiline: true);
            if (errors.Any)
            {
                var current = await bookings.GetAsync(link.Reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
                return Page("Refuser la demande", [], current, RoomLinkForm.Decline, link, "Refuser la demande", errors);
            }

            var (outcome, found) = await bookings.DeclineAsync(link.Reference, message, Decider.Lender, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return outcome == DecisionOutcome.Done
                ? Done("Demande refusée", ["La personne est prévenue par courriel. Merci d'avoir répondu."], null)
                : Decided(found);
        });

    [Function(nameof(ShowProposal))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> ShowProposal(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/requests/propose")] HttpRequest request) =>
        ShowAsync(request, [RoomLinks.ProposePurpose], RequestStatus.Pending, (booking, link) => Page("Proposer un autre créneau", ["Indiquez le créneau que vous pouvez offrir : la personne recevra un courriel pour l'accepter."], booking, RoomLinkForm.Propose, link, "Proposer ce créneau"));

    [Function(nameof(ProposeSlot))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> ProposeSlot(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rooms/requests/propose")] HttpRequest request) =>
        WithLinkAsync(request, [RoomLinks.ProposePurpose], async link =>
        {
            var errors = new FieldErrors();
            var current = await bookings.GetAsync(link.Reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (current is null)
            {
                return Decided(null);
            }

            if (await bookings.CheckProposalAsync(current.RoomId, link.Field, "message", errors, request.HttpContext.RequestAborted).ConfigureAwait(false) is not { } proposal)
            {
                return Page("Proposer un autre créneau", [], current, RoomLinkForm.Propose, link, "Proposer ce créneau", errors);
            }

            var (day, hours, message) = proposal;

            var (outcome, found) = await bookings.ProposeAsync(link.Reference, day, hours, message, Decider.Lender, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return outcome == DecisionOutcome.Done
                ? Done("Créneau proposé", [$"La personne est prévenue : si le {Schedule.FrenchDate(day)} {Schedule.French(hours)} lui convient, elle l'acceptera depuis son courriel et vous recevrez la confirmation."], null)
                : Decided(found);
        });

    [Function(nameof(ShowTakeProposal))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> ShowTakeProposal(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/requests/take")] HttpRequest request) =>
        ShowAsync(request, [RoomLinks.TakePurpose], RequestStatus.Proposed, (booking, link) => Page("Accepter le créneau proposé", [booking.Message is null ? "La structure qui prête la salle vous propose un autre créneau." : $"Le message de la structure : « {booking.Message} »"], booking, RoomLinkForm.Take, link, "J'accepte ce créneau"));

    [Function(nameof(TakeProposal))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> TakeProposal(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rooms/requests/take")] HttpRequest request) =>
        WithLinkAsync(request, [RoomLinks.TakePurpose], async link =>
        {
            var (outcome, found) = await bookings.TakeProposalAsync(link.Reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return outcome switch
            {
                DecisionOutcome.Done => Done("Réservation confirmée", Booked(found!), found),
                DecisionOutcome.NothingFree => Done("Ce créneau n'est plus libre", ["Il a été réservé entre-temps. Vous pouvez faire une nouvelle demande depuis le site."], found),
                DecisionOutcome.Busy => Busy(),
                _ => Decided(found),
            };
        });

    [Function(nameof(ShowCancellation))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> ShowCancellation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/requests/cancel")] HttpRequest request) =>
        ShowAsync(request, [RoomLinks.CancelByLenderPurpose, RoomLinks.CancelByBorrowerPurpose], RequestStatus.Accepted, (booking, link) => Page("Annuler la réservation", ["Les dates à venir de cette réservation seront libérées et l'autre partie prévenue par courriel. Cette annulation est définitive."], booking, RoomLinkForm.Cancel, link, "Annuler la réservation"));

    [Function(nameof(CancelBooking))]
    public Task<Results<RazorComponentResult, ProblemHttpResult>> CancelBooking(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rooms/requests/cancel")] HttpRequest request) =>
        WithLinkAsync(request, [RoomLinks.CancelByLenderPurpose, RoomLinks.CancelByBorrowerPurpose], async link =>
        {
            var by = link.Purpose == RoomLinks.CancelByLenderPurpose ? Decider.Lender : Decider.Borrower;
            var (outcome, found) = await bookings.CancelAsync(link.Reference, by, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return outcome == DecisionOutcome.Done
                ? Done("Réservation annulée", ["Les dates sont libérées et l'autre partie est prévenue par courriel."], null)
                : Decided(found);
        });

    /// <summary>The page a link opens: the request and its form while it is in <paramref name="status"/>, else what became of it. Changes nothing.</summary>
    private Task<Results<RazorComponentResult, ProblemHttpResult>> ShowAsync(
        HttpRequest request,
        string[] purposes,
        string status,
        Func<BookingRequestEntity, CheckedRoomLink, Results<RazorComponentResult, ProblemHttpResult>> page) =>
        WithLinkAsync(request, purposes, async link =>
        {
            var found = await bookings.GetAsync(link.Reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return found is not null && found.Status == status ? page(found, link) : Decided(found);
        });

    private static string[] Booked(BookingRequestEntity request)
    {
        var lines = new List<string> { "La réservation est confirmée : les deux parties reçoivent un courriel avec l'invitation pour leur agenda." };
        if (request.LostList.Count > 0)
        {
            lines.Add("Ces dates n'ont pas pu être réservées : " + BookingService.Describe(request.LostList) + ".");
        }

        return [.. lines];
    }

    private static Results<RazorComponentResult, ProblemHttpResult> Page(string title, IReadOnlyList<string> paragraphs, BookingRequestEntity? request, RoomLinkForm form, CheckedRoomLink link, string button, FieldErrors? errors = null) =>
        Razor(
            new Dictionary<string, object?>
            {
                ["Title"] = title,
                ["Paragraphs"] = paragraphs,
                ["Request"] = request,
                ["Form"] = form,
                ["Action"] = RoomLinks.Routes[link.Purpose].Split('/')[^1],
                ["Token"] = link.Token,
                ["Button"] = button,
                ["Errors"] = errors ?? new FieldErrors(),
                ["Values"] = link.Fields,
            },
            errors is { Any: true } ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);

    private static Results<RazorComponentResult, ProblemHttpResult> Done(string title, IReadOnlyList<string> paragraphs, BookingRequestEntity? request) =>
        Razor(new Dictionary<string, object?> { ["Title"] = title, ["Paragraphs"] = paragraphs, ["Done"] = true, ["Request"] = request }, StatusCodes.Status200OK);

    private static Results<RazorComponentResult, ProblemHttpResult> Decided(BookingRequestEntity? request) => request is null
        ? Razor(new Dictionary<string, object?> { ["Title"] = "Demande introuvable", ["Paragraphs"] = NotFoundText }, StatusCodes.Status404NotFound)
        : Razor(
            new Dictionary<string, object?>
            {
                ["Title"] = "Cette demande a déjà une réponse",
                ["Paragraphs"] = new[] { $"Son état : {RequestStatus.Terms.Label(request.Status)}. Rien n'a été modifié." },
                ["Request"] = request,
            },
            StatusCodes.Status409Conflict);

    private static Results<RazorComponentResult, ProblemHttpResult> Busy() =>
        Razor(new Dictionary<string, object?> { ["Title"] = "Réessayez dans un instant", ["Paragraphs"] = BusyText }, StatusCodes.Status409Conflict);

    private static RazorComponentResult<RoomLinkPage> Razor(Dictionary<string, object?> parameters, int status) =>
        new RazorComponentResult<RoomLinkPage>(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };

    private async Task<Results<RazorComponentResult, ProblemHttpResult>> WithLinkAsync(HttpRequest request, string[] purposes, Func<CheckedRoomLink, Task<Results<RazorComponentResult, ProblemHttpResult>>> handle)
    {
        ArgumentNullException.ThrowIfNull(request);
        IFormCollection? form = null;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType && (request.ContentType ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            && request.ContentLength is > 0 and <= MaxFormBytes)
        {
            try
            {
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (InvalidDataException)
            {
                form = null;
            }
        }

        var token = request.Query["token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            token = form?["token"].ToString() ?? "";
        }

        TokenCheck check = new(TokenStatus.Invalid, null);
        foreach (var purpose in purposes)
        {
            check = links.Tokens.Verify(purpose, token);
            if (check.IsValid)
            {
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var name in PostedFields)
                {
                    fields[name] = form?[name].ToString();
                }

                return await handle(new CheckedRoomLink(token, purpose, check.Subject!, fields)).ConfigureAwait(false);
            }

            if (check.Status == TokenStatus.Expired)
            {
                break;
            }
        }

        var expired = check.Status == TokenStatus.Expired;
        if (request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)))
        {
            return Razor(
                new Dictionary<string, object?>
                {
                    ["Title"] = expired ? "Ce lien a expiré" : "Ce lien n'est pas valable",
                    ["Paragraphs"] = new[] { expired ? "Les dates de cette demande sont passées : le lien n'est plus valable." : "Ce lien est incomplet ou n'a pas été émis par Réso Solidaire. Vérifiez qu'il a été copié en entier depuis le courriel." },
                },
                expired ? StatusCodes.Status410Gone : StatusCodes.Status400BadRequest);
        }

        return expired
            ? Problems.Problem(StatusCodes.Status410Gone, "Ce lien a expiré.", "Les dates de cette demande sont passées.")
            : Problems.Problem(StatusCodes.Status400BadRequest, "Ce lien n'est pas valable.", "Le jeton est absent, incomplet, ou n'a pas été émis pour cette action.");
    }
}

/// <summary>A link checked for one of its purposes: its token, the purpose it was signed for, the request it names, the fields posted with it.</summary>
public sealed record CheckedRoomLink(string Token, string Purpose, string Reference, IReadOnlyDictionary<string, string?> Fields)
{
    public string? Field(string name) => Fields.GetValueOrDefault(name);
}
