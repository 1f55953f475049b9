namespace ResoSolidaire.Functions.Rooms;

/// <summary>What the booking form posts (JSON or form fields of the same names). <c>Website</c> is the honeypot.</summary>
public sealed record BookingRequestPost(
    string? Name,
    string? Email,
    string? Phone,
    string? Structure,
    string? Purpose,
    int? People,
    string? Date,
    string? Start,
    string? End,
    string? Recurrence,
    string? Until,
    bool? Consent,
    string? Website);

/// <summary>A request that passed its checks: the row to store and the dates outside the room's hours.</summary>
public sealed record BookingSubmission(BookingRequestEntity Request, IReadOnlyList<DateOnly> Wanted, IReadOnlyList<(DateOnly Day, string Reason)> Closed, string Fingerprint);

/// <summary>
/// The request form of one published room, as <see cref="FormPipeline"/> runs it. Every date of the request is
/// checked against the room's hours and closed periods (here) and its confirmed bookings (when stored): the
/// dates that clash are not requested and the answer names them; a request none of whose dates is free is refused.
/// </summary>
public sealed class BookingRequestForm(RoomEntity room, BookingService bookings, SubmissionLedger ledger, TimeProvider time) : IPublicForm<BookingRequestPost, BookingSubmission>
{
    /// <summary>At most a year of weekly meetings.</summary>
    public const int MaxOccurrences = 52;

    public static readonly IReadOnlyDictionary<string, string> FieldLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "Nom et prénom",
        ["email"] = "Adresse e-mail",
        ["phone"] = "Téléphone",
        ["structure"] = "Structure",
        ["purpose"] = "Objet de la réservation",
        ["people"] = "Nombre de personnes",
        ["date"] = "Date",
        ["start"] = "Heure de début",
        ["end"] = "Heure de fin",
        ["recurrence"] = "Répétition",
        ["until"] = "Jusqu'au",
        ["consent"] = "Consentement",
    };

    public string Name => "reservation";

    public IReadOnlyDictionary<string, string> Labels => FieldLabels;

    public BookingRequestPost FromFields(FormBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new BookingRequestPost(
            body.Field("name"), body.Field("email"), body.Field("phone"), body.Field("structure"), body.Field("purpose"),
            int.TryParse(body.Field("people"), NumberStyles.None, CultureInfo.InvariantCulture, out var people) ? people : null,
            body.Field("date"), body.Field("start"), body.Field("end"), body.Field("recurrence"), body.Field("until"),
            body.Checked("consent"), body.Field(Honeypot.Field));
    }

    public string? HoneypotOf(BookingRequestPost posted) => posted?.Website;

    public FormResult Decoy() => FormResult.Waiting(new PendingReceipt(Honeypot.DecoyReference(BookingRequestEntity.ReferencePrefix, time), BookingService.Thanks));

    public FormCheck<BookingSubmission> Check(BookingRequestPost posted, FormBody body, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        var today = LocalDates.Today(time);
        var request = new BookingRequestEntity
        {
            RoomId = room.RowKey,
            RoomName = room.Name,
            Name = FieldRules.Required(errors, "name", posted.Name, 120, "Le nom"),
            Email = FieldRules.Email(errors, "email", posted.Email),
            Phone = FieldRules.Phone(errors, "phone", posted.Phone, required: false),
            Structure = FieldRules.Optional(errors, "structure", posted.Structure, 200),
            Purpose = FieldRules.Required(errors, "purpose", posted.Purpose, 1000, "L'objet de la réservation", multiline: true),
            Recurrence = FieldRules.Choice(errors, "recurrence", string.IsNullOrWhiteSpace(posted.Recurrence) ? "aucune" : posted.Recurrence, RoomVocabulary.Recurrences, "La répétition") ?? "aucune",
        };
        var peopleText = body.Kind == BodyKind.Json ? posted.People?.ToString(CultureInfo.InvariantCulture) : body.Field("people");
        if (!int.TryParse(FieldRules.Clean(peopleText), NumberStyles.None, CultureInfo.InvariantCulture, out var people) || people < 1)
        {
            errors.Add("people", "Indiquez le nombre de personnes attendues (un nombre entier).");
        }
        else if (people > room.Capacity)
        {
            errors.Add("people", $"Cette salle accueille {room.Capacity} personnes au plus.");
        }

        request.People = people;
        var date = Day(errors, "date", posted.Date, required: true);
        if (date is { } first && first < today)
        {
            errors.Add("date", "La date est passée : choisissez aujourd'hui ou un jour à venir.");
        }

        var start = Time(errors, "start", posted.Start);
        var end = Time(errors, "end", posted.End);
        if (start is { } s && end is { } e && e <= s)
        {
            errors.Add("end", "L'heure de fin doit suivre l'heure de début.");
        }

        var until = Day(errors, "until", posted.Until, required: request.Recurrence != "aucune");
        if (until is { } last && date is { } from && (last < from || last > from.AddYears(1)))
        {
            errors.Add("until", "La date de fin de la répétition doit suivre la première date, dans l'année qui suit.");
        }

        if (posted.Consent != true)
        {
            errors.Add("consent", "Merci d'accepter que vos coordonnées soient transmises à la structure qui prête la salle.");
        }

        if (errors.Any || date is null || start is null || end is null)
        {
            return new(null);
        }

        var hours = new TimeRange(start.Value, end.Value);
        request.StartTime = Schedule.Text(hours.From);
        request.EndTime = Schedule.Text(hours.To);
        request.Until = until is null ? null : LocalDates.ToText(until.Value);
        var dates = Schedule.Occurrences(date.Value, request.Recurrence, until, MaxOccurrences);
        if (dates.Count > MaxOccurrences)
        {
            errors.Add("until", $"Une demande compte {MaxOccurrences} dates au plus : choisissez une date de fin plus proche.");
            return new(null);
        }

        var closed = dates.Select(d => (Day: d, Reason: Schedule.Unavailability(room.Slots, room.Closed, d, hours))).Where(c => c.Reason is not null).Select(c => (c.Day, c.Reason!)).ToList();
        var wanted = dates.Except(closed.Select(c => c.Day)).ToList();
        if (wanted.Count == 0)
        {
            errors.Add("date", "Aucune des dates demandées n'est possible : " + BookingService.Describe(closed) + ".");
            return new(null);
        }

        var fingerprint = ledger.Fingerprint(Name, [room.RowKey, request.Email, string.Join(',', dates.Select(LocalDates.ToText)), request.StartTime, request.EndTime, request.Purpose]);
        return new(new BookingSubmission(request, wanted, closed, fingerprint));
    }

    public async Task<FormResult?> FindDuplicateAsync(BookingSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var earlier = await ledger.FindDuplicateAsync(RoomsStorage.Requests, submission.Fingerprint, cancellationToken).ConfigureAwait(false);
        return earlier is null ? null : FormResult.Waiting(new PendingReceipt(earlier, BookingService.Thanks));
    }

    public Task<FormResult> StoreAsync(BookingSubmission submission, CancellationToken cancellationToken) =>
        bookings.RequestAsync(room, submission, cancellationToken);

    private static DateOnly? Day(FieldErrors errors, string field, string? value, bool required)
    {
        var text = FieldRules.Clean(value);
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(field, "La date est obligatoire (AAAA-MM-JJ).");
            }

            return null;
        }

        var day = LocalDates.Parse(text);
        if (day is null)
        {
            errors.Add(field, "La date doit s'écrire AAAA-MM-JJ.");
        }

        return day;
    }

    private static TimeOnly? Time(FieldErrors errors, string field, string? value)
    {
        var text = FieldRules.Clean(value);
        if (text.Length == 0)
        {
            errors.Add(field, "L'heure est obligatoire (HH:MM).");
            return null;
        }

        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors.Add(field, "L'heure doit s'écrire HH:MM.");
            return null;
        }

        return time;
    }

    /// <summary>The members the answer adds for a script: the dates requested and those that clash, with why.</summary>
    public static IDictionary<string, JsonElement> AnswerMembers(IReadOnlyList<DateOnly> requested, IEnumerable<(DateOnly Day, string Reason)> clashes) => new Dictionary<string, JsonElement>(StringComparer.Ordinal)
    {
        ["dates"] = JsonSerializer.SerializeToElement(requested.Select(LocalDates.ToText).ToList()),
        ["clashes"] = JsonSerializer.SerializeToElement(clashes.Select(c => new Dictionary<string, string> { ["date"] = LocalDates.ToText(c.Day), ["reason"] = c.Reason }).ToList()),
    };
}
