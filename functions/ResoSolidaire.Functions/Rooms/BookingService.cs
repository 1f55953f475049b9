namespace ResoSolidaire.Functions.Rooms;

public enum DecisionOutcome
{
    Done,
    NotFound,

    /// <summary>The request was decided already (by the other link, by staff, or cancelled).</summary>
    AlreadyDecided,

    /// <summary>Accepted, but none of its dates was still free: it is declined and the requester told.</summary>
    NothingFree,

    /// <summary>Others kept booking the same days: nothing changed, try again.</summary>
    Busy,
}

/// <summary>Who decides or cancels: the room's contact (by a link), the requester (by a link) or a staff member.</summary>
public sealed record Decider(string Name, string? ObjectId)
{
    public static readonly Decider Lender = new("contact de la salle", null);

    public static readonly Decider Borrower = new("demandeur", null);

    /// <summary>Who decided or cancelled, as a sentence reads it: « par le contact de la salle », « par Camille Martin ».</summary>
    public static string Display(string? stored) => stored switch
    {
        null => "",
        "contact de la salle" => "le contact de la salle",
        "demandeur" => "la personne qui a demandé",
        _ => stored,
    };

    public static Decider Staff(StaffMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new(member.Name, member.ObjectId);
    }
}

/// <summary>
/// Booking requests, from the form to the booked dates: the request (stored, then mailed through the outbox),
/// the room contact's decision (accept, decline, propose another slot), the requester taking a proposal,
/// cancellation by either party, and the reminders of the day before.
/// </summary>
public sealed class BookingService(
    RoomsStorage storage,
    RoomDays days,
    RoomCatalog catalog,
    SubmissionLedger ledger,
    ReferenceCounter references,
    RoomMails mails,
    MailOutbox outbox,
    EmailHasher emailHasher,
    IOptions<FormsOptions> forms,
    TimeProvider time,
    ILogger<BookingService> logger) : IFormMailSweeper
{
    public const string Thanks = "Merci ! Votre demande est transmise à la structure qui prête la salle. Vous recevrez sa réponse par courriel.";

    public const string AlreadyBooked = "la salle est déjà réservée sur ce créneau";

    public string Form => "reservation";

    /// <summary>The request form of one published room.</summary>
    public BookingRequestForm FormFor(RoomEntity room) => new(room, this, ledger, time);

    /// <summary>Stores a checked request for its free dates (those booked meanwhile are named), then mails both parties.</summary>
    public async Task<FormResult> RequestAsync(RoomEntity room, BookingSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(submission);
        var request = submission.Request;
        var clashes = submission.Closed.ToList();
        var free = new List<DateOnly>();
        foreach (var day in submission.Wanted)
        {
            if ((await days.BookedAsync(room.RowKey, day, cancellationToken).ConfigureAwait(false)).Any(b => b.Hours.Overlaps(request.Hours)))
            {
                clashes.Add((day, AlreadyBooked));
            }
            else
            {
                free.Add(day);
            }
        }

        clashes.Sort((a, b) => a.Day.CompareTo(b.Day));
        if (free.Count == 0)
        {
            var errors = new FieldErrors();
            errors.Add("date", "Aucune des dates demandées n'est libre : " + Describe(clashes) + ".");
            return FormResult.Rejected(FormRejection.Invalid(errors));
        }

        var now = time.GetUtcNow();
        request.Reference = await references.NextAsync(BookingRequestEntity.ReferencePrefix, cancellationToken).ConfigureAwait(false);
        request.CreatedAt = now;
        request.EmailHash = emailHasher.Hash(EmailAddress.Parse(request.Email));
        request.Dates = BookingRequestEntity.JoinDays(free);
        request.Clashes = BookingRequestEntity.JoinReasons(clashes);
        request.LastDate = LocalDates.ToText(free.Max());
        request.ConsentTextVersion = forms.Value.ConsentTextVersion;
        request.ConsentAt = now;
        var stored = await ledger.StoreAsync(RoomsStorage.Requests, request, submission.Fingerprint, cancellationToken).ConfigureAwait(false);
        if (!stored.Duplicate)
        {
            logger.LogInformation("Room {RoomId}: booking request {Reference} for {DateCount} date(s), {ClashCount} clashing", room.RowKey, request.Reference, free.Count, clashes.Count);
            try
            {
                await QueueRequestMailsAsync(request, room, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Booking request {Reference}: mails left to the sweep", request.Reference);
            }
        }

        return FormResult.Waiting(new PendingReceipt(stored.Reference, Thanks + (clashes.Count == 0 ? "" : " Dates indisponibles, non demandées : " + Describe(clashes) + "."))
        {
            Members = BookingRequestForm.AnswerMembers(free, clashes),
        });
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var waiting = await ledger.UnmailedAsync<BookingRequestEntity>(RoomsStorage.Requests, FormMailSweepFunction.Grace, cancellationToken).ConfigureAwait(false);
        foreach (var request in waiting)
        {
            if (await catalog.GetAsync(request.RoomId, cancellationToken).ConfigureAwait(false) is { } room)
            {
                await QueueRequestMailsAsync(request, room, cancellationToken).ConfigureAwait(false);
            }
        }

        return waiting.Count;
    }

    public async Task<BookingRequestEntity?> GetAsync(string reference, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(reference) || reference.Length > 40 ? null : await ledger.GetAsync<BookingRequestEntity>(RoomsStorage.Requests, reference, cancellationToken).ConfigureAwait(false);

    /// <summary>Every request (a network's requests of a year: hundreds), newest first; one status only when given.</summary>
    public async Task<IReadOnlyList<BookingRequestEntity>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        var table = await storage.RequestsAsync(cancellationToken).ConfigureAwait(false);
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {BookingRequestEntity.ReferencePrefix} and RowKey lt {BookingRequestEntity.ReferencePrefix + "~"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {BookingRequestEntity.ReferencePrefix} and RowKey lt {BookingRequestEntity.ReferencePrefix + "~"} and Status eq {status}");
        var rows = await EmailHashMigrations.RowsAsync(table.QueryAsync<BookingRequestEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.OrderByDescending(r => r.CreatedAt)];
    }

    /// <summary>Accepts a pending request: each of its dates is booked unless taken meanwhile; both parties get the confirmation and its .ics.</summary>
    public async Task<(DecisionOutcome Outcome, BookingRequestEntity? Request)> AcceptAsync(string reference, Decider by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var request = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return (DecisionOutcome.NotFound, null);
        }

        // An acceptance stopped half-way (the worker stopped) resumes; any other decided request stays as it is.
        if (!(request.Status == RequestStatus.Pending || (request.Status == RequestStatus.Accepted && !request.BookingDone)))
        {
            return (DecisionOutcome.AlreadyDecided, request);
        }

        if (request.Status == RequestStatus.Pending)
        {
            request.Status = RequestStatus.Accepted;
            (request.DecidedAt, request.DecidedBy, request.DecidedByObjectId) = (time.GetUtcNow(), by.Name, by.ObjectId);
            if (!await TryReplaceAsync(request, cancellationToken).ConfigureAwait(false))
            {
                return (DecisionOutcome.AlreadyDecided, await GetAsync(reference, cancellationToken).ConfigureAwait(false));
            }
        }

        return await BookAsync(request, request.DateList, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Declines a pending request, with the contact's message mailed to the requester.</summary>
    public async Task<(DecisionOutcome Outcome, BookingRequestEntity? Request)> DeclineAsync(string reference, string? message, Decider by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var request = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return (DecisionOutcome.NotFound, null);
        }

        if (request.Status is not (RequestStatus.Pending or RequestStatus.Proposed))
        {
            return (DecisionOutcome.AlreadyDecided, request);
        }

        request.Status = RequestStatus.Declined;
        request.Message = message;
        (request.DecidedAt, request.DecidedBy, request.DecidedByObjectId) = (time.GetUtcNow(), by.Name, by.ObjectId);
        if (!await TryReplaceAsync(request, cancellationToken).ConfigureAwait(false))
        {
            return (DecisionOutcome.AlreadyDecided, await GetAsync(reference, cancellationToken).ConfigureAwait(false));
        }

        logger.LogInformation("Booking request {Reference} declined", reference);
        await outbox.SendAsync(RoomMails.Declined(request), $"room-request/{reference}/declined", cancellationToken).ConfigureAwait(false);
        return (DecisionOutcome.Done, request);
    }

    /// <summary>
    /// Reads a proposed slot as the contact's page and the console post it (date, debut, fin, message): French field
    /// errors when it cannot be read, is past, or overlaps a booking already confirmed on that day (the requester
    /// could not take it). Null when there are errors.
    /// </summary>
    public async Task<(DateOnly Day, TimeRange Hours, string? Message)?> CheckProposalAsync(string roomId, Func<string, string?> field, string messageField, FieldErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(errors);
        var day = LocalDates.Parse(field("date"));
        if (day is null)
        {
            errors.Add("date", "Choisissez la date proposée (AAAA-MM-JJ).");
        }
        else if (day < LocalDates.Today(time))
        {
            errors.Add("date", "Cette date est passée : choisissez aujourd'hui ou un jour à venir.");
        }

        var start = Schedule.ParseTime(field("debut"));
        var end = Schedule.ParseTime(field("fin"));
        if (start is null)
        {
            errors.Add("debut", "Indiquez l'heure de début (HH:MM).");
        }

        if (end is null)
        {
            errors.Add("fin", "Indiquez l'heure de fin (HH:MM).");
        }
        else if (start is not null && end <= start)
        {
            errors.Add("fin", "L'heure de fin doit suivre l'heure de début.");
        }

        var message = FieldRules.Optional(errors, messageField, field(messageField), 1000, multiline: true);
        if (errors.Any)
        {
            return null;
        }

        var hours = new TimeRange(start!.Value, end!.Value);
        var taken = (await days.BookedAsync(roomId, day!.Value, cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.Hours.Overlaps(hours));
        if (taken is not null)
        {
            errors.Add("debut", $"La salle est déjà réservée ce jour-là {Schedule.French(taken.Hours)} : proposez un autre créneau.");
            return null;
        }

        return (day.Value, hours, message);
    }

    /// <summary>Answers a pending request with another slot; the requester may take it from the mail.</summary>
    public async Task<(DecisionOutcome Outcome, BookingRequestEntity? Request)> ProposeAsync(string reference, DateOnly day, TimeRange hours, string? message, Decider by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var request = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return (DecisionOutcome.NotFound, null);
        }

        if (request.Status != RequestStatus.Pending)
        {
            return (DecisionOutcome.AlreadyDecided, request);
        }

        request.Status = RequestStatus.Proposed;
        request.Message = message;
        (request.ProposedDate, request.ProposedStart, request.ProposedEnd) = (LocalDates.ToText(day), Schedule.Text(hours.From), Schedule.Text(hours.To));
        (request.DecidedAt, request.DecidedBy, request.DecidedByObjectId) = (time.GetUtcNow(), by.Name, by.ObjectId);
        if (string.CompareOrdinal(request.ProposedDate, request.LastDate) > 0)
        {
            request.LastDate = request.ProposedDate;
        }

        if (!await TryReplaceAsync(request, cancellationToken).ConfigureAwait(false))
        {
            return (DecisionOutcome.AlreadyDecided, await GetAsync(reference, cancellationToken).ConfigureAwait(false));
        }

        logger.LogInformation("Booking request {Reference}: another slot proposed", reference);
        await outbox.SendAsync(mails.Proposed(request), $"room-request/{reference}/proposed", cancellationToken).ConfigureAwait(false);
        return (DecisionOutcome.Done, request);
    }

    /// <summary>The requester takes the proposed slot: it is booked unless taken meanwhile.</summary>
    public async Task<(DecisionOutcome Outcome, BookingRequestEntity? Request)> TakeProposalAsync(string reference, CancellationToken cancellationToken)
    {
        var request = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return (DecisionOutcome.NotFound, null);
        }

        if (!(request.Status == RequestStatus.Proposed || (request.Status == RequestStatus.Accepted && !request.BookingDone && request.ProposedDate is not null)))
        {
            return (DecisionOutcome.AlreadyDecided, request);
        }

        if (request.Status == RequestStatus.Proposed)
        {
            request.Status = RequestStatus.Accepted;
            (request.StartTime, request.EndTime) = (request.ProposedStart!, request.ProposedEnd!);
            (request.Dates, request.LastDate) = (request.ProposedDate!, request.ProposedDate!);
            (request.DecidedAt, request.DecidedBy, request.DecidedByObjectId) = (time.GetUtcNow(), Decider.Borrower.Name, null);
            if (!await TryReplaceAsync(request, cancellationToken).ConfigureAwait(false))
            {
                return (DecisionOutcome.AlreadyDecided, await GetAsync(reference, cancellationToken).ConfigureAwait(false));
            }
        }

        return await BookAsync(request, request.DateList, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels an accepted request: its dates from today on are released, and both parties are told (with the .ics that removes them).</summary>
    public async Task<(DecisionOutcome Outcome, BookingRequestEntity? Request)> CancelAsync(string reference, Decider by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var request = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return (DecisionOutcome.NotFound, null);
        }

        var today = LocalDates.Today(time);
        var released = request.ConfirmedList.Where(d => d >= today).ToList();
        if (request.Status != RequestStatus.Accepted || released.Count == 0)
        {
            return (DecisionOutcome.AlreadyDecided, request);
        }

        request.Status = RequestStatus.Cancelled;
        (request.CancelledAt, request.CancelledBy, request.CancelledByObjectId) = (time.GetUtcNow(), by.Name, by.ObjectId);
        if (!await TryReplaceAsync(request, cancellationToken).ConfigureAwait(false))
        {
            return (DecisionOutcome.AlreadyDecided, await GetAsync(reference, cancellationToken).ConfigureAwait(false));
        }

        foreach (var day in released)
        {
            await days.ReleaseAsync(request.RoomId, day, reference, cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Booking request {Reference} cancelled, {DateCount} date(s) released", reference, released.Count);
        if (await catalog.GetAsync(request.RoomId, cancellationToken).ConfigureAwait(false) is { } room)
        {
            await Task.WhenAll(
                outbox.SendAsync(mails.Cancelled(request, room, released, toLender: false), $"room-request/{reference}/cancelled/demandeur", cancellationToken),
                outbox.SendAsync(mails.Cancelled(request, room, released, toLender: true), $"room-request/{reference}/cancelled/salle", cancellationToken)).ConfigureAwait(false);
        }

        return (DecisionOutcome.Done, request);
    }

    /// <summary>Keeps a request past the retention duration, or lets it go again (staff).</summary>
    public async Task<BookingRequestEntity?> KeepAsync(string reference, bool keep, CancellationToken cancellationToken)
    {
        var request = await GetAsync(reference, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return null;
        }

        request.Kept = keep;
        return await TryReplaceAsync(request, cancellationToken).ConfigureAwait(false) ? request : await GetAsync(reference, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Mails both parties of tomorrow's bookings (Paris), once each; returns how many bookings were reminded.</summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var tomorrow = LocalDates.Today(time).AddDays(1);
        var reminded = 0;
        foreach (var (roomId, slot) in await days.OnDayAsync(tomorrow, cancellationToken).ConfigureAwait(false))
        {
            var request = await GetAsync(slot.Request, cancellationToken).ConfigureAwait(false);
            var room = await catalog.GetAsync(roomId, cancellationToken).ConfigureAwait(false);
            if (request is not { Status: RequestStatus.Accepted } || room is null)
            {
                continue;
            }

            var day = LocalDates.ToText(tomorrow);
            await Task.WhenAll(
                outbox.SendAsync(mails.Reminder(request, room, tomorrow, toLender: false), $"room-request/{request.Reference}/reminder/{day}/demandeur", cancellationToken),
                outbox.SendAsync(mails.Reminder(request, room, tomorrow, toLender: true), $"room-request/{request.Reference}/reminder/{day}/salle", cancellationToken)).ConfigureAwait(false);
            reminded++;
        }

        return reminded;
    }

    /// <summary>« 27 octobre 2026 (la salle est déjà réservée sur ce créneau) ; … ».</summary>
    public static string Describe(IEnumerable<(DateOnly Day, string Reason)> clashes) =>
        string.Join(" ; ", clashes.Select(c => $"{ConsoleDate(c.Day)} ({c.Reason})"));

    private static string ConsoleDate(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"));

    private async Task<(DecisionOutcome, BookingRequestEntity?)> BookAsync(BookingRequestEntity request, IReadOnlyList<DateOnly> dates, CancellationToken cancellationToken)
    {
        var room = await catalog.GetAsync(request.RoomId, cancellationToken).ConfigureAwait(false);
        var today = LocalDates.Today(time);
        var booked = new List<DateOnly>();
        var lost = new List<(DateOnly, string)>();
        foreach (var day in dates)
        {
            if (day < today)
            {
                lost.Add((day, "la date est passée"));
                continue;
            }

            switch (await days.BookAsync(request.RoomId, day, new BookedSlot(request.Hours, request.Reference, request.Structure), cancellationToken).ConfigureAwait(false))
            {
                case BookOutcome.Booked:
                    booked.Add(day);
                    break;
                case BookOutcome.Clash:
                    lost.Add((day, AlreadyBooked));
                    break;
                default:
                    return (DecisionOutcome.Busy, request);
            }
        }

        request.Confirmed = booked.Count == 0 ? null : BookingRequestEntity.JoinDays(booked);
        request.Lost = BookingRequestEntity.JoinReasons(lost);
        request.BookingDone = true;
        if (booked.Count == 0)
        {
            request.Status = RequestStatus.Declined;
            request.Message = "Les dates demandées ont été réservées par quelqu'un d'autre entre-temps, ou sont passées.";
        }

        var table = await storage.RequestsAsync(cancellationToken).ConfigureAwait(false);
        await table.UpdateEntityAsync(request, ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (booked.Count == 0)
        {
            logger.LogInformation("Booking request {Reference}: accepted but no date was still free", request.Reference);
            await outbox.SendAsync(RoomMails.Declined(request), $"room-request/{request.Reference}/declined", cancellationToken).ConfigureAwait(false);
            return (DecisionOutcome.NothingFree, request);
        }

        logger.LogInformation("Booking request {Reference} accepted: {Booked} date(s) booked, {Lost} lost", request.Reference, booked.Count, lost.Count);
        if (room is not null)
        {
            await Task.WhenAll(
                outbox.SendAsync(mails.Confirmed(request, room, toLender: false), $"room-request/{request.Reference}/confirmed/demandeur", cancellationToken),
                outbox.SendAsync(mails.Confirmed(request, room, toLender: true), $"room-request/{request.Reference}/confirmed/salle", cancellationToken)).ConfigureAwait(false);
        }

        return (DecisionOutcome.Done, request);
    }

    /// <summary>Writes a decision under the ETag it was read with: false when someone else changed the request first.</summary>
    private async Task<bool> TryReplaceAsync(BookingRequestEntity request, CancellationToken cancellationToken)
    {
        var table = await storage.RequestsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(request, request.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            request.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task QueueRequestMailsAsync(BookingRequestEntity request, RoomEntity room, CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            outbox.SendAsync(mails.RequestToContact(request, room), $"room-request/{request.Reference}/salle", cancellationToken),
            outbox.SendAsync(RoomMails.RequestReceived(request), $"room-request/{request.Reference}/accuse", cancellationToken)).ConfigureAwait(false);
        await ledger.MarkMailsQueuedAsync(RoomsStorage.Requests, request.Reference, cancellationToken).ConfigureAwait(false);
    }
}
