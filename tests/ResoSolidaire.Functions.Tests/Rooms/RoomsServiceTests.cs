using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.PersonalData;
using ResoSolidaire.Functions.Platform.Report;
using ResoSolidaire.Functions.Platform.Staff;
using ResoSolidaire.Functions.Rooms;
using ResoSolidaire.Functions.Territory;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Rooms;

/// <summary>
/// The room sharing's services against Azurite with a fake clock: personal data (access, erasure), retention,
/// activity figures and the reminders of the day before.
/// </summary>
public sealed class RoomsServiceTests : IAsyncLifetime
{
    /// <summary>A Monday at noon in Paris, so that « tomorrow » is a Tuesday, when the test room opens.</summary>
    private static readonly DateTimeOffset Monday = new(2027, 3, 1, 11, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Monday);

    private FormsTestServices _services = null!;

    public async Task InitializeAsync() => _services = await FormsTestServices.StartAsync(
        new Dictionary<string, string?>
        {
            ["Tokens:SigningKey"] = Newsletter.NewsletterBackend.SigningKey,
            ["Rooms:PublicBaseUrl"] = "https://api.reso-solidaire.example/api/",
        },
        _clock);

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task AccessFindsARequesterAndARoomContactAndErasureReleasesTheirDates()
    {
        var room = await RoomAsync("contact-acces@blosne.example");
        var request = await BookedAsync(room, "awa-acces@exemple.fr", new DateOnly(2027, 3, 2), weeks: 2);
        var rooms = _services.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Name == "salles");

        var requester = await rooms.FindAsync(Subject("awa-acces@exemple.fr"), CancellationToken.None);
        var contact = await rooms.FindAsync(Subject("contact-acces@blosne.example"), CancellationToken.None);

        var record = Assert.Single(requester);
        Assert.Equal("demande-de-reservation", record["recordKind"]!.GetValue<string>());
        Assert.Equal("accepted", record["status"]!.GetValue<string>());
        Assert.Equal("Acceptée", record["statusLabel"]!.GetValue<string>());
        Assert.Equal("salle-contact", Assert.Single(contact)["recordKind"]!.GetValue<string>());

        // As the console shows it to staff answering the request: French labels, the booked dates, what erasure does.
        var readable = await rooms.DescribeAsync(Subject("awa-acces@exemple.fr"), CancellationToken.None);
        var described = Assert.Single(readable.Records);
        Assert.Equal("Salles à partager", readable.Title);
        Assert.StartsWith($"Demande de salle {request.Reference}", described.Title, StringComparison.Ordinal);
        Assert.Contains(described.Fields, f => f.Label == "État" && f.Value == "Acceptée");
        Assert.Contains(described.Fields, f => f.Label == "Dates confirmées" && f.Value == "2 mars 2027, 9 mars 2027");
        Assert.Equal(ErasureEffect.Deleted, described.OnErasure);
        var contactRecord = Assert.Single((await rooms.DescribeAsync(Subject("contact-acces@blosne.example"), CancellationToken.None)).Records);
        Assert.Equal(ErasureEffect.Anonymised, contactRecord.OnErasure);

        Assert.Equal(1, await rooms.EraseAsync(Subject("awa-acces@exemple.fr"), CancellationToken.None));
        Assert.Null(await _services.Get<BookingService>().GetAsync(request.Reference, CancellationToken.None));
        Assert.Empty(await _services.Get<RoomDays>().RangeAsync(room.RowKey, new DateOnly(2027, 3, 1), new DateOnly(2027, 4, 1), CancellationToken.None));

        Assert.Equal(1, await rooms.EraseAsync(Subject("contact-acces@blosne.example"), CancellationToken.None));
        var withdrawn = await _services.Get<RoomCatalog>().GetAsync(room.RowKey, CancellationToken.None);
        Assert.Equal(RoomStatus.Withdrawn, withdrawn!.Status);
        Assert.Equal("", withdrawn.ContactEmail);
        Assert.Empty(await rooms.FindAsync(Subject("contact-acces@blosne.example"), CancellationToken.None));
    }

    [Fact]
    public async Task ABookingGoesAYearAfterItsLastDateUnlessStaffKeepIt()
    {
        var room = await RoomAsync("contact-retention@blosne.example");
        var old = await BookedAsync(room, "ancien@exemple.fr", new DateOnly(2027, 3, 2), weeks: 1);
        var kept = await BookedAsync(room, "garde@exemple.fr", new DateOnly(2027, 3, 4), weeks: 1);
        var recent = await BookedAsync(room, "recent@exemple.fr", new DateOnly(2027, 3, 9), weeks: 1);
        await _services.Get<BookingService>().KeepAsync(kept.Reference, keep: true, CancellationToken.None);
        var rooms = _services.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Name == "salles");

        // A year and five days after the first booking's date: it is past the duration, the one of the 9th is not.
        var counts = await rooms.PurgeAsync(new DateTimeOffset(2028, 3, 7, 12, 0, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.Equal(1, counts.Single(c => c.What == "demandes de réservation passées").Count);
        Assert.Equal(1, counts.Single(c => c.What == "créneaux réservés passés").Count);
        var bookings = _services.Get<BookingService>();
        Assert.Null(await bookings.GetAsync(old.Reference, CancellationToken.None));
        Assert.NotNull(await bookings.GetAsync(kept.Reference, CancellationToken.None));
        Assert.NotNull(await bookings.GetAsync(recent.Reference, CancellationToken.None));
        var left = await _services.Get<RoomDays>().RangeAsync(room.RowKey, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 31), CancellationToken.None);
        Assert.Equal([kept.Reference, recent.Reference], left.Select(b => b.Slot.Request));
    }

    [Fact]
    public async Task TheActivityReportCountsRoomsBookingsHoursAndStructures()
    {
        var room = await RoomAsync("contact-bilan@blosne.example");
        await BookedAsync(room, "un@exemple.fr", new DateOnly(2027, 3, 2), weeks: 3, structure: "Les Jardins partagés");
        await BookedAsync(room, "deux@exemple.fr", new DateOnly(2027, 3, 4), weeks: 1, structure: "Collectif Vélo");
        var figures = _services.Get<IEnumerable<IActivityFigures>>().OfType<RoomsFigures>().Single();

        var section = await figures.ComputeAsync(ReportPeriod.Year(2027), CancellationToken.None);

        double? Figure(string label) => section.Figures.Single(f => f.Label == label).Value;
        Assert.Equal("Salles à partager", section.Title);
        Assert.Equal(1, Figure("Salles proposées"));
        Assert.Equal(2, Figure("Réservations confirmées"));
        Assert.Equal(4, Figure("Créneaux prêtés"));
        Assert.Equal(8, Figure("Heures prêtées"));
        Assert.Equal(1, Figure("Structures qui prêtent"));
        Assert.Equal(2, Figure("Structures et personnes accueillies"));
        Assert.Equal(0, (await figures.ComputeAsync(ReportPeriod.Year(2026), CancellationToken.None)).Figures.Single(f => f.Label == "Créneaux prêtés").Value);
    }

    [Fact]
    public async Task BothPartiesAreRemindedTheDayBeforeOnce()
    {
        var room = await RoomAsync("contact-rappel@blosne.example");
        var request = await BookedAsync(room, "rappel@exemple.fr", new DateOnly(2027, 3, 2), weeks: 1);
        var bookings = _services.Get<BookingService>();

        Assert.Equal(1, await bookings.RemindAsync(CancellationToken.None));
        Assert.Equal(1, await bookings.RemindAsync(CancellationToken.None));

        var mails = await Testing.Eventually.ReturnsAsync(
            () => Task.FromResult<List<MailSink.ReceivedMail>?>([.. _services.Mail.Messages.Snapshot().Where(m => m.Subject.StartsWith("Rappel", StringComparison.Ordinal) && m.Subject.Contains(request.Reference, StringComparison.Ordinal))]),
            list => list!.Count >= 2,
            TimeSpan.FromSeconds(10));
        Assert.Equal(2, mails.Count);
        Assert.Contains(mails, m => m.IsAddressedTo("rappel@exemple.fr") && m.Text!.Contains("demain, mardi 2 mars 2027", StringComparison.Ordinal));
        Assert.Contains(mails, m => m.IsAddressedTo("contact-rappel@blosne.example") && m.Text!.Contains("de 14 h à 16 h", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARequestLeftWithoutAnswerMoreThanThreeDaysIsCountedOnTheHomePageThenLeavesItOnceAnswered()
    {
        var room = await RoomAsync("contact-attente@blosne.example");
        var bookings = _services.Get<BookingService>();
        var request = new BookingRequestEntity
        {
            RoomId = room.RowKey,
            RoomName = room.Name,
            Name = "Awa Diallo",
            Email = "attente@exemple.fr",
            Purpose = "Réunion",
            People = 8,
            StartTime = "10:00",
            EndTime = "12:00",
            Recurrence = "aucune",
        };
        var fingerprint = _services.Get<SubmissionLedger>().Fingerprint("reservation", ["attente@exemple.fr", Guid.NewGuid().ToString()]);
        var reference = (await bookings.RequestAsync(room, new BookingSubmission(request, [new DateOnly(2027, 3, 16)], [], fingerprint), CancellationToken.None)).Pending!.Id!;
        var attention = new Functions.Rooms.Console.RoomsAttention(_services.Get<RoomCatalog>(), bookings, _clock);
        async Task<AttentionItem> LateAsync() => (await attention.ReadAsync(CancellationToken.None)).Single(i => i.Path.EndsWith("?etat=en-retard", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await LateAsync()).Count);

        _clock.Advance(TimeSpan.FromMinutes(2));
        var late = await LateAsync();
        Assert.Equal(1, late.Count);
        Assert.Equal("demande de salle sans réponse depuis plus de 3 jours", late.Text);

        await bookings.DeclineAsync(reference, null, Decider.Lender, CancellationToken.None);
        Assert.Equal(0, (await LateAsync()).Count);
    }

    private PersonalDataSubject Subject(string email)
    {
        var address = EmailAddress.Parse(email);
        return new PersonalDataSubject(address, _services.Get<EmailHasher>().Hash(address));
    }

    /// <summary>A room entered by staff, open on Tuesdays and Thursdays, lent by a new structure of the directory.</summary>
    private async Task<RoomEntity> RoomAsync(string contact)
    {
        var member = new StaffMember("Camille Martin", "00000000-0000-0000-0000-000000000001", new HashSet<string> { StaffMember.TeamRoleValue }, false);
        var actor = await _services.Get<ActorStore>().CreateAsync(
            new ActorFields("Maison des associations " + Guid.NewGuid().ToString("N")[..6], "association", null, null, [], CommuneDirectory.Instance.FindByInseeCode("35238"), null, null, null, [], [], null, [], false, null),
            member,
            CancellationToken.None);
        var errors = new FieldErrors();
        var fields = RoomFields.Check(
            new RoomInput("Maison", "Salle " + Guid.NewGuid().ToString("N")[..4], "salle-de-reunion", "20", ["wifi"], true, "7 boulevard de Yougoslavie", "35238", null, "gratuit", null, null,
                new Dictionary<DayOfWeek, string?> { [DayOfWeek.Tuesday] = "9h-18h", [DayOfWeek.Thursday] = "9h-18h" }, null, "Morgane Le Goff", contact, null),
            CommuneDirectory.Instance,
            errors);
        Assert.False(errors.Any, string.Join("; ", errors.Summary.Select(e => e.Value)));
        var (outcome, room) = await _services.Get<RoomCatalog>().CreateAsync(fields, actor.Actor!.RowKey, member, CancellationToken.None);
        Assert.Equal(RoomOutcome.Done, outcome);
        return room!;
    }

    /// <summary>A weekly request from <paramref name="first"/>, 14:00 to 16:00, accepted by the room's contact.</summary>
    private async Task<BookingRequestEntity> BookedAsync(RoomEntity room, string email, DateOnly first, int weeks, string? structure = null)
    {
        var bookings = _services.Get<BookingService>();
        var dates = Enumerable.Range(0, weeks).Select(i => first.AddDays(7 * i)).ToList();
        var request = new BookingRequestEntity
        {
            RoomId = room.RowKey,
            RoomName = room.Name,
            Name = "Awa Diallo",
            Email = email,
            Structure = structure,
            Purpose = "Réunion",
            People = 10,
            StartTime = "14:00",
            EndTime = "16:00",
            Recurrence = weeks == 1 ? "aucune" : "hebdomadaire",
            Until = weeks == 1 ? null : LocalDates.ToText(dates[^1]),
        };
        var fingerprint = _services.Get<SubmissionLedger>().Fingerprint("reservation", [email, first.ToString("o", CultureInfo.InvariantCulture), Guid.NewGuid().ToString()]);
        var stored = await bookings.RequestAsync(room, new BookingSubmission(request, dates, [], fingerprint), CancellationToken.None);
        var reference = stored.Pending!.Id!;
        var (outcome, accepted) = await bookings.AcceptAsync(reference, Decider.Lender, CancellationToken.None);
        Assert.Equal(DecisionOutcome.Done, outcome);
        return accepted!;
    }
}
