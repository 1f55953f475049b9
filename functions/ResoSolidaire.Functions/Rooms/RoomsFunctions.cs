using ResoSolidaire.Functions.Rooms.Pages;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>The public side of the room sharing: offer a room, find rooms, request a slot, photos and calendar feeds.</summary>
public sealed class RoomsFunctions(RoomCatalog catalog, RoomDays days, BookingService bookings, RoomOfferForm offerForm, RoomLinks links, FormPipeline pipeline, TimeProvider time)
{
    /// <summary>The search's single-valued fields, shown again on the page.</summary>
    private static readonly string[] SearchFields = ["epci", "capacite", "pmr", "date", "debut", "fin"];

    [Function(nameof(OfferRoom))]
    public Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> OfferRoom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rooms/offers")] HttpRequest request) =>
        pipeline.HandleAsync(request, offerForm);

    /// <summary>
    /// The published rooms matching the query: JSON for programs and scripts; for a browser that asks for a page
    /// (a search form sent without JavaScript: <c>Accept: text/html</c>, no JSON), the same results as a French page
    /// whose every room carries its request form.
    /// </summary>
    [Function(nameof(SearchRooms))]
    public async Task<Results<Ok<IReadOnlyList<RoomView>>, ValidationProblem, RazorComponentResult>> SearchRooms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = WantsPage(request);
        var (search, errors) = RoomSearchQuery.Read(request.Query, LocalDates.Today(time));
        if (errors.Any && !page)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        IReadOnlyList<RoomEntity> rooms = errors.Any ? [] : await catalog.SearchAsync(search, days, request.HttpContext.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<RoomView> views = [.. rooms.Select(r => RoomView.From(r, links))];
        if (!page)
        {
            return TypedResults.Ok(views);
        }

        var values = SearchFields.ToDictionary(n => n, n => request.Query[n].ToString() is { Length: > 0 } value ? value : null, StringComparer.Ordinal);
        var equipment = request.Query["equipements"].SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
        return new RazorComponentResult<RoomSearchPage>(new { Rooms = views, Errors = errors, Values = values, Equipment = equipment })
        {
            StatusCode = errors.Any ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK,
            ContentType = "text/html; charset=utf-8",
        };
    }

    [Function(nameof(GetRoom))]
    public async Task<Results<Ok<RoomView>, ProblemHttpResult>> GetRoom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/{id}")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var room = await catalog.GetPublishedAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return room is null ? NotFound() : TypedResults.Ok(RoomView.From(room, links));
    }

    [Function(nameof(GetRoomPhoto))]
    public async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetRoomPhoto(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/{id}/photos/{number}")] HttpRequest request,
        string id,
        string number)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || await catalog.PhotoAsync(id, n, anyStatus: false, request.HttpContext.RequestAborted).ConfigureAwait(false) is not { } photo)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Photo introuvable.", "Cette salle n'a pas de photo à ce numéro, ou n'est pas publiée.");
        }

        request.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(photo.Content, photo.ContentType);
    }

    [Function(nameof(RequestBooking))]
    public async Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> RequestBooking(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rooms/{id}/requests")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var room = await catalog.GetPublishedAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return room is null ? NotFound() : await pipeline.HandleAsync(request, bookings.FormFor(room)).ConfigureAwait(false);
    }

    [Function(nameof(RoomCalendarFeed))]
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> RoomCalendarFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/{id}/calendar.ics")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var room = await catalog.GetAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (room is null || room.ActorId is null)
        {
            return NotFound();
        }

        var bookings = await FeedAsync([room], request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Calendar(request, RoomIcs.Feed($"{room.Name} ({room.Structure})", bookings, time.GetUtcNow()));
    }

    [Function(nameof(LenderCalendarFeed))]
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> LenderCalendarFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rooms/lenders/{actorId}/calendar.ics")] HttpRequest request,
        string actorId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rooms = await catalog.OfActorAsync(actorId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (rooms.Count == 0)
        {
            return Problems.Problem(StatusCodes.Status404NotFound, "Structure introuvable.", "Aucune salle publiée n'est prêtée par cette structure.");
        }

        var bookings = await FeedAsync(rooms, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Calendar(request, RoomIcs.Feed($"Salles prêtées par {rooms[0].Structure}", bookings, time.GetUtcNow()));
    }

    /// <summary>The confirmed bookings of the rooms, from three months ago to a year ahead: the borrower's structure only.</summary>
    private async Task<List<CalendarBooking>> FeedAsync(IReadOnlyList<RoomEntity> rooms, CancellationToken cancellationToken)
    {
        var today = LocalDates.Today(time);
        var list = new List<CalendarBooking>();
        foreach (var room in rooms)
        {
            foreach (var (day, slot) in await days.RangeAsync(room.RowKey, today.AddMonths(-3), today.AddYears(1), cancellationToken).ConfigureAwait(false))
            {
                list.Add(new CalendarBooking(slot.Request, room.Name, $"{room.Address}, {room.CommuneName}", day, slot.Hours, string.IsNullOrEmpty(slot.Structure) ? "Réservé" : slot.Structure, null));
            }
        }

        return list;
    }

    private static ContentHttpResult Calendar(HttpRequest request, string ics)
    {
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=900";
        return TypedResults.Content(ics, RoomIcs.ContentType, Encoding.UTF8);
    }

    /// <summary>A browser's navigation (text/html accepted, JSON not asked for); a script's fetch and curl get JSON.</summary>
    private static bool WantsPage(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            && !accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
    }

    private static ProblemHttpResult NotFound() =>
        Problems.Problem(StatusCodes.Status404NotFound, "Salle introuvable.", "Cette salle n'existe pas ou n'est plus proposée.");
}

/// <summary>The query of the public search: commune (INSEE code), epci, capacite, equipements (several), pmr, date, debut, fin.</summary>
public static class RoomSearchQuery
{
    public static (RoomSearch Search, FieldErrors Errors) Read(IQueryCollection query, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrors();
        string? Value(string name) => query[name].ToString().Trim() is { Length: > 0 and <= 100 } v ? v : null;
        var commune = Value("commune");
        if (commune is not null && Territory.CommuneDirectory.Instance.FindByInseeCode(commune) is null)
        {
            errors.Add("commune", "Indiquez la commune par son code INSEE (exemple : 35238 pour Rennes).");
        }

        var epci = Value("epci");
        if (epci is not null && !Territory.CommuneDirectory.PaysDeRennesEpcis.ContainsKey(epci))
        {
            errors.Add("epci", "Indiquez l'un des EPCI du Pays de Rennes : " + string.Join(", ", Territory.CommuneDirectory.PaysDeRennesEpcis.Select(e => $"{e.Key} ({e.Value})")) + ".");
        }

        int? capacity = null;
        if (Value("capacite") is { } capacityText)
        {
            if (int.TryParse(capacityText, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= RoomFields.MaxCapacity)
            {
                capacity = c;
            }
            else
            {
                errors.Add("capacite", "La capacité est un nombre de personnes (exemple : 12).");
            }
        }

        var equipment = query["equipements"].SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (equipment.Any(e => !RoomVocabulary.Equipment.ContainsKey(e)))
        {
            errors.Add("equipements", "Équipements possibles : " + string.Join(", ", RoomVocabulary.Equipment.Keys) + ".");
        }

        DateOnly? date = null;
        if (Value("date") is { } dateText && (date = LocalDates.Parse(dateText)) is null)
        {
            errors.Add("date", "La date doit s'écrire AAAA-MM-JJ.");
        }

        TimeRange? hours = null;
        var (start, end) = (Value("debut"), Value("fin"));
        if (start is not null || end is not null)
        {
            if (date is null || !TimeOnly.TryParseExact(start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !TimeOnly.TryParseExact(end, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) || to <= from)
            {
                errors.Add("debut", "Pour chercher un créneau, donnez la date, l'heure de début et l'heure de fin (HH:MM), la fin après le début.");
            }
            else
            {
                hours = new TimeRange(from, to);
            }
        }

        return (new RoomSearch(commune, epci, capacity, equipment, Value("pmr") is "1" or "oui" or "true" ? true : null, date < today ? null : date, hours), errors);
    }
}
