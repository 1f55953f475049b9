using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Rooms.Console;

/// <summary>The rooms in the staff console: rooms and offers to moderate, a room and its calendar (week or month), the requests and their decision.</summary>
public sealed class RoomsConsole(RoomCatalog catalog, BookingService bookings, RoomDays days, RoomLinks links, ConsoleForms forms, CommuneDirectory communes, TimeProvider time)
{
    public const string ListPath = ConsolePaths.Home + "/salles";

    public const string RequestsPath = ConsolePaths.Home + "/salles/demandes";

    public const string NewPath = ConsolePaths.Home + "/salles/nouvelle";

    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["ajoutee"] = "La salle est ajoutée et publiée.",
        ["modifier"] = "Les changements de la salle sont enregistrés.",
        ["approuver"] = "La salle est publiée ; son contact est prévenu par courriel.",
        ["refuser"] = "La proposition est refusée ; son contact a reçu le motif par courriel.",
        ["retirer"] = "La salle est retirée de la liste publique.",
        ["publier"] = "La salle est de nouveau publiée.",
        ["accepter"] = "La demande est acceptée ; les deux parties ont reçu la confirmation.",
        ["decliner"] = "La demande est refusée ; la personne est prévenue par courriel.",
        ["proposer"] = "L'autre créneau est proposé ; la personne peut l'accepter depuis son courriel.",
        ["annuler"] = "La réservation est annulée ; les deux parties sont prévenues.",
        ["conserver"] = "La demande sera conservée au-delà de la durée habituelle.",
        ["ne-plus-conserver"] = "La demande suivra de nouveau la durée de conservation habituelle.",
    };

    /// <summary>The message of the proposal form: the decline form's is « message », on the same page.</summary>
    public const string ProposalMessage = "message-creneau";

    public static string RoomPath(string id) => ListPath + "/" + Uri.EscapeDataString(id);

    public static string CalendarPath(string id) => RoomPath(id) + "/calendrier";

    public static string RequestPath(string reference) => RequestsPath + "/" + Uri.EscapeDataString(reference);

    [Function(nameof(ConsoleRooms))]
    public async Task<ConsoleResult> ConsoleRooms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/salles")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var status = RoomStatus.Terms.StoredOf(request.Query["etat"].ToString());
        var rooms = await catalog.ListAsync(status, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return ConsoleGate.Page<RoomListPage>(new { gate.Member, Rooms = rooms, Status = status, Flash = Done.GetValueOrDefault(request.Query["fait"].ToString()) });
    }

    [Function(nameof(ConsoleRoom))]
    public async Task<ConsoleResult> ConsoleRoom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/salles/{id}")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var room = await catalog.GetAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return room is null
            ? NotFound(gate.Member, "Cette salle est introuvable")
            : await RoomPageAsync(request, gate.Member, room, Done.GetValueOrDefault(request.Query["fait"].ToString()), new FieldErrors(), null).ConfigureAwait(false);
    }

    /// <summary>A photo of any room, offers to moderate included (the public route serves published rooms only).</summary>
    [Function(nameof(ConsoleRoomPhoto))]
    public async Task<Results<FileContentHttpResult, RazorComponentResult, RedirectHttpResult>> ConsoleRoomPhoto(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/salles/{id}/photos/{number}")] HttpRequest request,
        string id,
        string number)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal.Result switch
            {
                RazorComponentResult page => page,
                RedirectHttpResult redirect => redirect,
                _ => throw new InvalidOperationException("The console's gate refuses with a page or a redirect."),
            };
        }

        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || await catalog.PhotoAsync(id, n, anyStatus: true, request.HttpContext.RequestAborted).ConfigureAwait(false) is not { } photo)
        {
            return ConsoleGate.Page<ConsoleRefusedPage>(
                new { gate.Member, Title = "Cette photo est introuvable", Detail = "La salle n'a pas de photo à ce numéro, ou elle a été effacée." },
                StatusCodes.Status404NotFound);
        }

        request.HttpContext.Response.Headers.CacheControl = "private, no-store";
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(photo.Content, photo.ContentType);
    }

    public static string PhotoPath(string id, int number) => RoomPath(id) + "/photos/" + number.ToString(CultureInfo.InvariantCulture);

    [Function(nameof(ConsoleRoomChange))]
    public async Task<ConsoleResult> ConsoleRoomChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/salles/{id}/{operation}")] HttpRequest request,
        string id,
        string operation)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, RoomPath(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var errors = new FieldErrors();
        (RoomOutcome Outcome, RoomEntity? Room) result = (RoomOutcome.NotFound, null);
        switch (operation)
        {
            case "approuver" when post.Form.Value("structure") is { } actorId:
                result = await catalog.ApproveAsync(id, actorId, post.Member, cancellation).ConfigureAwait(false);
                break;
            case "approuver":
                errors.Add("structure", "Choisissez la structure de l'annuaire qui prête la salle.");
                break;
            case "refuser":
                var reason = FieldRules.Required(errors, "motif", post.Form.Value("motif"), 2000, "Le motif du refus", minLength: 3, multiline: true);
                if (!errors.Any)
                {
                    result = await catalog.RejectAsync(id, reason, post.Member, cancellation).ConfigureAwait(false);
                }

                break;
            case "modifier":
                return await EditAsync(request, post.Member, post.Form, id).ConfigureAwait(false);
            case "retirer" or "publier":
                result = await catalog.SetPublishedAsync(id, operation == "publier", post.Member, cancellation).ConfigureAwait(false);
                break;
            default:
                errors.Add("operation", "Cette modification n'est pas possible : rouvrez la salle et utilisez l'un de ses formulaires.");
                break;
        }

        if (!errors.Any && result.Outcome == RoomOutcome.Done)
        {
            return TypedResults.Redirect(RoomPath(id) + "?fait=" + operation);
        }

        var room = await catalog.GetAsync(id, cancellation).ConfigureAwait(false);
        if (room is null)
        {
            return NotFound(post.Member, "Cette salle est introuvable");
        }

        if (!errors.Any)
        {
            errors.Add(operation == "approuver" ? "structure" : "operation", result.Outcome switch
            {
                RoomOutcome.UnknownActor => "Cette structure n'est plus dans l'annuaire : choisissez-en une autre.",
                RoomOutcome.AlreadyModerated => $"Cette salle a déjà été modérée (statut : {RoomStatus.Terms.Label(room.Status)}).",
                _ => "La salle a été modifiée entre-temps : rien n'a été enregistré, recommencez.",
            });
        }

        return await RoomPageAsync(request, post.Member, room, null, errors, post.Form.Value("motif"), StatusCodes.Status400BadRequest).ConfigureAwait(false);
    }

    [Function(nameof(ConsoleRoomCalendar))]
    public async Task<ConsoleResult> ConsoleRoomCalendar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/salles/{id}/calendrier")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var room = await catalog.GetAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (room is null)
        {
            return NotFound(gate.Member, "Cette salle est introuvable");
        }

        var month = request.Query["vue"].ToString() == "mois";
        var day = LocalDates.Parse(request.Query["date"].ToString()) ?? LocalDates.Today(time);
        var (from, to) = month
            ? (new DateOnly(day.Year, day.Month, 1).AddDays(-(((int)new DateOnly(day.Year, day.Month, 1).DayOfWeek + 6) % 7)), new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1))
            : (day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), day.AddDays(6 - (((int)day.DayOfWeek + 6) % 7)));
        to = to.AddDays(6 - (((int)to.DayOfWeek + 6) % 7));
        var booked = await days.RangeAsync(room.RowKey, from, to, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return ConsoleGate.Page<RoomCalendarPage>(new
        {
            gate.Member,
            Room = room,
            Month = month,
            Day = day,
            From = from,
            To = to,
            Booked = booked,
            Today = LocalDates.Today(time),
        });
    }

    [Function(nameof(ConsoleRoomRequests))]
    public async Task<ConsoleResult> ConsoleRoomRequests(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/salles/demandes")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var state = request.Query["etat"].ToString();
        var late = state == "en-retard";
        var status = late ? RequestStatus.Pending : RequestStatus.Terms.StoredOf(state);
        var requests = await bookings.ListAsync(status, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (late)
        {
            requests = [.. requests.Where(r => r.CreatedAt < time.GetUtcNow() - RoomsAttention.Waiting)];
        }

        return ConsoleGate.Page<RoomRequestListPage>(new { gate.Member, Requests = requests, State = late ? "en-retard" : status is null ? null : RequestStatus.Terms.Code(status) });
    }

    [Function(nameof(ConsoleRoomRequest))]
    public async Task<ConsoleResult> ConsoleRoomRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/salles/demandes/{reference}")] HttpRequest request,
        string reference)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var found = await bookings.GetAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return found is null
            ? NotFound(gate.Member, "Cette demande est introuvable")
            : RequestPage(request, gate.Member, found, Done.GetValueOrDefault(request.Query["fait"].ToString()), request.Query["confirmer"].ToString(), new FieldErrors());
    }

    [Function(nameof(ConsoleRoomRequestDecision))]
    public async Task<ConsoleResult> ConsoleRoomRequestDecision(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/salles/demandes/{reference}/{operation}")] HttpRequest request,
        string reference,
        string operation)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, RequestPath(reference)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var by = Decider.Staff(post.Member);
        var errors = new FieldErrors();
        (DecisionOutcome Outcome, BookingRequestEntity? Request) result = (DecisionOutcome.NotFound, null);
        switch (operation)
        {
            case "accepter":
                result = await bookings.AcceptAsync(reference, by, cancellation).ConfigureAwait(false);
                break;
            case "decliner":
                var message = FieldRules.Optional(errors, "message", post.Form.Value("message"), 1000, multiline: true);
                if (!errors.Any)
                {
                    result = await bookings.DeclineAsync(reference, message, by, cancellation).ConfigureAwait(false);
                }

                break;
            case "proposer":
                var current = await bookings.GetAsync(reference, cancellation).ConfigureAwait(false);
                if (current is not null && await bookings.CheckProposalAsync(current.RoomId, post.Form.Value, ProposalMessage, errors, cancellation).ConfigureAwait(false) is { } proposal)
                {
                    result = await bookings.ProposeAsync(reference, proposal.Day, proposal.Hours, proposal.Message, by, cancellation).ConfigureAwait(false);
                }

                break;
            case "annuler":
                result = await bookings.CancelAsync(reference, by, cancellation).ConfigureAwait(false);
                break;
            case "conserver" or "ne-plus-conserver":
                var kept = await bookings.KeepAsync(reference, operation == "conserver", cancellation).ConfigureAwait(false);
                result = (kept is null ? DecisionOutcome.NotFound : DecisionOutcome.Done, kept);
                break;
            default:
                errors.Add("operation", "Cette action n'est pas possible : rouvrez la demande et utilisez l'un de ses boutons.");
                break;
        }

        if (!errors.Any && result.Outcome == DecisionOutcome.Done)
        {
            return TypedResults.Redirect(RequestPath(reference) + "?fait=" + operation);
        }

        var found = await bookings.GetAsync(reference, cancellation).ConfigureAwait(false);
        if (found is null)
        {
            return NotFound(post.Member, "Cette demande est introuvable");
        }

        if (!errors.Any)
        {
            errors.Add("operation", result.Outcome switch
            {
                DecisionOutcome.NothingFree => "Aucune des dates n'était encore libre : la demande est refusée et la personne prévenue.",
                DecisionOutcome.Busy => "D'autres réservations de la salle étaient enregistrées au même moment : rien n'a changé, recommencez.",
                _ => $"Cette demande a déjà une réponse (état : {RequestStatus.Terms.Label(found.Status)}) : rien n'a changé.",
            });
        }

        return RequestPage(request, post.Member, found, null, null, errors, StatusCodes.Status400BadRequest, operation == "proposer" || operation == "decliner" ? post.Form : null);
    }

    [Function(nameof(ConsoleNewRoom))]
    public ConsoleResult ConsoleNewRoom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/salles/nouvelle")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        return gate.IsOpen
            ? FormPage(request, gate.Member, null, new Dictionary<string, string?> { ["kind"] = "salle-de-reunion", ["conditions"] = "gratuit" }, new HashSet<string>(), false, [], new FieldErrors())
            : gate.Refusal;
    }

    [Function(nameof(ConsoleCreateRoom))]
    public async Task<ConsoleResult> ConsoleCreateRoom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/salles/nouvelle")] HttpRequest request)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewPath).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var (input, values, equipment) = InputOf(post.Form);
        var errors = new FieldErrors();
        var fields = RoomFields.Check(input, communes, errors);
        var candidates = fields.Structure.Length == 0 ? [] : await catalog.CandidatesAsync(fields.Structure, cancellation).ConfigureAwait(false);
        var actorId = post.Form.Value("actorId") ?? (candidates.Count == 1 ? candidates[0].RowKey : null);
        values["actorId"] = actorId;
        if (fields.Structure.Length > 0 && actorId is null)
        {
            errors.Add("structure", candidates.Count == 0
                ? "Aucune structure de l'annuaire ne porte ce nom : vérifiez-le, ou ajoutez d'abord la structure à l'annuaire."
                : "Plusieurs structures de l'annuaire portent ce nom : choisissez la bonne dans la liste.");
        }

        if (!errors.Any)
        {
            var (outcome, room) = await catalog.CreateAsync(fields, actorId!, post.Member, cancellation).ConfigureAwait(false);
            if (outcome == RoomOutcome.Done)
            {
                return TypedResults.Redirect(RoomPath(room!.RowKey) + "?fait=ajoutee");
            }

            errors.Add("structure", "Cette structure n'est plus dans l'annuaire : choisissez-en une autre.");
        }

        return FormPage(request, post.Member, null, values, equipment, input.Accessible, [.. candidates.Select(c => (c.RowKey, c.Name, c.CommuneName))], errors, StatusCodes.Status400BadRequest);
    }

    [Function(nameof(ConsoleEditRoom))]
    public async Task<ConsoleResult> ConsoleEditRoom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/salles/{id}/modifier")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var room = await catalog.GetAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (room is null)
        {
            return NotFound(gate.Member, "Cette salle est introuvable");
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = room.Name,
            ["kind"] = room.Kind,
            ["capacity"] = room.Capacity.ToString(CultureInfo.InvariantCulture),
            ["address"] = room.Address,
            ["commune"] = room.CommuneInsee,
            ["conditions"] = room.Conditions,
            ["price"] = room.Price,
            ["description"] = room.Description,
            ["closedPeriods"] = Schedule.ClosedText(room.Closed),
            ["contactName"] = room.ContactName,
            ["contactEmail"] = room.ContactEmail,
            ["contactPhone"] = room.ContactPhone,
        };
        foreach (var (day, field, _) in Schedule.Days)
        {
            values[field] = Schedule.DayText(room.Slots, day);
        }

        return FormPage(request, gate.Member, room, values, room.EquipmentCodes.ToHashSet(StringComparer.Ordinal), room.Accessible, [], new FieldErrors());
    }

    private async Task<ConsoleResult> EditAsync(HttpRequest request, StaffMember member, ConsoleForm form, string id)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var room = await catalog.GetAsync(id, cancellation).ConfigureAwait(false);
        if (room is null)
        {
            return NotFound(member, "Cette salle est introuvable");
        }

        var (input, values, equipment) = InputOf(form, room.Structure);
        var errors = new FieldErrors();
        var fields = RoomFields.Check(input, communes, errors);
        if (!errors.Any)
        {
            var (outcome, _) = await catalog.UpdateAsync(id, fields, new ETag(form.Value("version") ?? ""), member, cancellation).ConfigureAwait(false);
            if (outcome == RoomOutcome.Done)
            {
                return TypedResults.Redirect(RoomPath(id) + "?fait=modifier");
            }

            errors.Add("name", "La salle a été modifiée par quelqu'un d'autre pendant que vous la modifiiez : rien n'a été enregistré. Rouvrez-la pour voir ses changements, puis recommencez.");
        }

        return FormPage(request, member, room, values, equipment, input.Accessible, [], errors, StatusCodes.Status400BadRequest);
    }

    /// <summary>A room as the console's form posted it, and the values to show again.</summary>
    private static (RoomInput Input, Dictionary<string, string?> Values, HashSet<string> Equipment) InputOf(ConsoleForm form, string? structure = null)
    {
        var names = new[] { "structure", "name", "kind", "capacity", "address", "commune", "postalCode", "conditions", "price", "description", "closedPeriods", "contactName", "contactEmail", "contactPhone" };
        var values = names.Concat(Schedule.Days.Select(d => d.Field)).ToDictionary(n => n, form.Value, StringComparer.Ordinal);
        var equipment = form.Values("equipment").ToHashSet(StringComparer.Ordinal);
        var input = new RoomInput(
            structure ?? values["structure"], values["name"], values["kind"], values["capacity"], [.. equipment], form.Value("accessible") is not null,
            values["address"], values["commune"], values["postalCode"], values["conditions"], values["price"], values["description"],
            Schedule.Days.ToDictionary(d => d.Day, d => values[d.Field]), values["closedPeriods"], values["contactName"], values["contactEmail"], values["contactPhone"]);
        return (input, values, equipment);
    }

    private RazorComponentResult FormPage(HttpRequest request, StaffMember member, RoomEntity? room, IReadOnlyDictionary<string, string?> values, IReadOnlySet<string> equipment, bool accessible, IReadOnlyList<(string, string, string?)> candidates, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        ConsoleGate.Page<RoomFormPage>(
            new
            {
                Member = member,
                Token = forms.Issue(request, member),
                Room = room,
                Version = room?.ETag.ToString(),
                Values = values,
                Equipment = equipment,
                Accessible = accessible,
                Candidates = candidates,
                Errors = errors,
            },
            status);

    private async Task<RazorComponentResult> RoomPageAsync(HttpRequest request, StaffMember member, RoomEntity room, string? flash, FieldErrors errors, string? reason, int status = StatusCodes.Status200OK)
    {
        var cancellation = request.HttpContext.RequestAborted;
        var candidates = room.Status == RoomStatus.Pending ? await catalog.CandidatesAsync(room.Structure, cancellation).ConfigureAwait(false) : [];
        var actor = room.ActorId is null ? null : await catalog.ActorAsync(room.ActorId, cancellation).ConfigureAwait(false);
        var requests = (await bookings.ListAsync(null, cancellation).ConfigureAwait(false)).Where(r => r.RoomId == room.RowKey).Take(20).ToList();
        return ConsoleGate.Page<RoomPage>(
            new
            {
                Member = member,
                Room = room,
                Candidates = candidates.Select(c => (c.RowKey, c.Name, c.CommuneName)).ToList(),
                Lender = actor?.Name,
                Requests = requests,
                Feed = links.RoomFeed(room.RowKey),
                Token = forms.Issue(request, member),
                Flash = flash,
                Errors = errors,
                Reason = reason,
            },
            status);
    }

    private RazorComponentResult RequestPage(HttpRequest request, StaffMember member, BookingRequestEntity found, string? flash, string? confirm, FieldErrors errors, int status = StatusCodes.Status200OK, ConsoleForm? posted = null) =>
        ConsoleGate.Page<RoomRequestPage>(
            new
            {
                Member = member,
                Request = found,
                Token = forms.Issue(request, member),
                Flash = flash,
                Confirm = confirm,
                Errors = errors,
                Today = LocalDates.Today(time),
                Values = new[] { "message", "date", "debut", "fin", ProposalMessage }.ToDictionary(n => n, n => posted?.Text(n), StringComparer.Ordinal),
            },
            status);

    private static RazorComponentResult NotFound(StaffMember member, string title) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = title, Detail = "Elle a peut-être été effacée (demande d'effacement ou durée de conservation écoulée), ou l'adresse est erronée." },
            StatusCodes.Status404NotFound);
}
