using System.Text;
using System.Text.Json;
using ResoSolidaire.Functions.Agenda;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Inbox;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Newsletter.Webhook;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Report;
using ResoSolidaire.Functions.Platform.Staff;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Porteurs.FollowUp;
using ResoSolidaire.Functions.Privacy;
using ResoSolidaire.Functions.Report;
using ResoSolidaire.Functions.Rooms;
using ResoSolidaire.Functions.Territory;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Report;

/// <summary>
/// Data of every module seeded through their own stores and services (a fake clock sets when each thing happened),
/// (the rooms and their bookings included), then the report for the calendar year 2025: each figure equals the one this test computes from what it seeded,
/// with the year taken in Rennes' calendar (an intake at 23:30 UTC on 31 December 2024 is one of 2025's).
/// </summary>
public sealed class ActivityReportTests(ActivityReportTests.Seeded data) : IClassFixture<ActivityReportTests.Seeded>
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static bool In2025(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris).Year == 2025;

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Who seeds the changes: a member of « Équipe », as the console would pass them.</summary>
    private static readonly StaffMember Tester = new("test", "00000000-0000-0000-0000-000000000001", new HashSet<string> { StaffMember.TeamRoleValue }, false);

    public sealed record Intake(string Reference, DateTimeOffset At, string Sector, string Stage, string Status, string Insee);

    public sealed record Move(string Reference, DateTimeOffset At, string? Phase, string? Partner);

    public sealed record Message(string Reference, DateTimeOffset At, string Topic, TimeSpan? HandledAfter);

    public sealed record Actor(string Name, string Kind, string? Status, string[] Sectors, string? Insee, DateTimeOffset At);

    public sealed record Edition(string Id, string Kind, DateTimeOffset SendAt, string Status, int Recipients, (string Event, int Count)[] Events);

    public sealed record Proposal(string Kind, DateTimeOffset At, bool? Approve, string Day);

    public sealed record Room(string Name, string Lender, DateTimeOffset At);

    /// <summary>A booking request: its room, when it came, its dates and hours, who for; accepted, then maybe cancelled before its dates.</summary>
    public sealed record Booking(string Room, DateTimeOffset At, string[] Days, string Start, string End, string? Structure, bool Accepted, bool Cancelled = false)
    {
        public double Hours => (TimeOnly.Parse(End, System.Globalization.CultureInfo.InvariantCulture) - TimeOnly.Parse(Start, System.Globalization.CultureInfo.InvariantCulture)).TotalHours;

        public string Email => $"reservation-{Room.Length}-{At.ToUnixTimeSeconds()}@exemple.fr";
    }

    /// <summary>What is seeded, in one prefix of the shared Azurite, once for the class.</summary>
    public sealed class Seeded : IAsyncLifetime
    {
        public static readonly Intake[] Intakes =
        [
            new("PP-2024-0100", Utc("2024-12-31T22:30:00Z"), "alimentation", "idee", "association", "35238"), // 23:30 in Rennes: 2024
            new("PP-2025-0001", Utc("2024-12-31T23:30:00Z"), "alimentation", "idee", "association", "35238"), // 00:30 in Rennes: 2025
            new("PP-2025-0002", Utc("2025-03-10T09:00:00Z"), "mobilite", "etude", "scop", "35152"),
            new("PP-2025-0003", Utc("2025-03-20T14:00:00Z"), "alimentation", "creation", "scic", "35238"),
            new("PP-2025-0004", Utc("2025-07-01T08:00:00Z"), "numerique", "idee", "ne-sait-pas", "35288"),
            new("PP-2025-0005", Utc("2025-12-31T22:30:00Z"), "culture", "developpement", "association", "35051"), // 23:30 on 31 December
            new("PP-2026-0001", Utc("2025-12-31T23:30:00Z"), "culture", "idee", "association", "35238"), // 00:30 on 1 January 2026
            new("PP-2023-0001", Utc("2023-05-05T10:00:00Z"), "habitat", "idee", "association", "35238"),
        ];

        public static readonly Move[] Moves =
        [
            new("PP-2025-0001", Utc("2025-01-03T10:00:00Z"), CasePhases.Diagnostic, null),
            new("PP-2025-0001", Utc("2025-02-01T10:00:00Z"), CasePhases.Orientation, "Les Jardins partagés"),
            new("PP-2025-0001", Utc("2025-03-01T10:00:00Z"), CasePhases.Accompagnement, null),
            new("PP-2025-0002", Utc("2025-03-11T09:00:00Z"), CasePhases.Diagnostic, null),
            new("PP-2025-0002", Utc("2025-04-01T09:00:00Z"), CasePhases.Abandonne, null),
            new("PP-2025-0002", Utc("2026-01-01T00:30:00Z"), null, "Coop Mobilité"), // 01:30 in Rennes: 2026
            new("PP-2025-0003", Utc("2025-03-22T10:00:00Z"), null, "Coop Mobilité"),
            new("PP-2025-0003", Utc("2025-03-25T14:00:00Z"), CasePhases.Clos, null),
            new("PP-2024-0100", Utc("2024-12-31T22:00:00Z"), null, "Les Jardins partagés"), // 23:00 in Rennes: 2024
            new("PP-2024-0100", Utc("2025-01-05T10:00:00Z"), CasePhases.Diagnostic, null),
        ];

        public static readonly Message[] Messages =
        [
            new("CT-2025-0001", Utc("2025-02-01T10:00:00Z"), "information", TimeSpan.FromHours(3)),
            new("CT-2025-0002", Utc("2025-02-02T10:00:00Z"), "adhesion", TimeSpan.FromHours(30)),
            new("CT-2025-0003", Utc("2025-05-05T10:00:00Z"), "orientation-etudiant", TimeSpan.FromDays(5)),
            new("CT-2025-0004", Utc("2025-12-31T22:59:00Z"), "presse", null),
            new("CT-2025-0005", Utc("2024-12-31T23:00:00Z"), "information", TimeSpan.FromDays(10)), // midnight in Rennes: 2025
            new("CT-2024-0099", Utc("2024-12-31T22:59:59Z"), "information", TimeSpan.FromHours(1)),
            new("CT-2026-0001", Utc("2026-01-01T00:00:00Z"), "adhesion", null),
            new("CT-2025-0006", Utc("2025-06-06T10:00:00Z"), "orientation-etudiant", null),
        ];

        public static readonly Actor[] Actors =
        [
            new("Les Jardins partagés", "association", "Association loi 1901", ["alimentation", "culture"], "35238", Utc("2024-06-01T10:00:00Z")),
            new("Coop Mobilité", "cooperative", "SCOP", ["mobilite"], "35152", Utc("2024-12-31T23:30:00Z")), // 2025 in Rennes
            new("Camille Durand", "individu", null, [], null, Utc("2025-06-01T10:00:00Z")),
            new("Épicerie du coin", "association", "association loi 1901", ["alimentation"], "35288", Utc("2025-09-09T10:00:00Z")),
            new("Régie de quartier", "entreprise-ess", "Association loi 1901", ["insertion-emploi"], "35051", Utc("2025-05-05T10:00:00Z")),
            new("Fondation du Blosne", "fondation", null, ["culture"], "35238", Utc("2025-12-31T23:30:00Z")), // 00:30 on 1 January 2026: not listed yet
        ];

        public static readonly Edition[] Editions =
        [
            new("e2025-03", EditionKind.Monthly, Utc("2025-03-05T09:00:00Z"), EditionStatus.Sent, 120, [("delivered", 5), ("bounce", 2), ("unsubscribe", 1), ("spamreport", 1), ("open", 3)]),
            new("e2025-ciblé", EditionKind.Mailing, Utc("2025-12-31T22:30:00Z"), EditionStatus.Sent, 40, [("delivered", 3), ("dropped", 1)]),
            new("e2024-12", EditionKind.Monthly, Utc("2024-12-31T22:30:00Z"), EditionStatus.Sent, 100, [("delivered", 4)]),
            new("e2025-06", EditionKind.Monthly, Utc("2025-06-01T09:00:00Z"), EditionStatus.Draft, 0, []),
        ];

        public static readonly Proposal[] Proposals =
        [
            new("association", Utc("2025-02-01T10:00:00Z"), true, "2025-03-01"),
            new("cooperative", Utc("2025-04-01T10:00:00Z"), false, "2025-05-01"),
            new("", Utc("2025-12-31T23:30:00Z"), true, "2026-01-10"),
            new("association", Utc("2024-12-31T23:30:00Z"), null, "2025-01-20"),
            new("collectivite", Utc("2024-11-01T10:00:00Z"), true, "2025-01-15"),
        ];

        public static readonly Room[] Rooms =
        [
            new("Salle du Blosne", "Les Jardins partagés", Utc("2024-11-04T10:00:00Z")),
            new("Atelier de Maurepas", "Coop Mobilité", Utc("2024-06-01T10:00:00Z")),
            new("Salle de la Courrouze", "Les Jardins partagés", Utc("2025-12-31T23:30:00Z")), // 00:30 on 1 January 2026: offered in 2026
        ];

        public static readonly Booking[] Bookings =
        [
            new("Salle du Blosne", Utc("2024-12-31T23:30:00Z"), ["2025-01-07", "2025-01-14"], "14:00", "16:00", "Les Jardins partagés", true), // asked at 00:30 in Rennes: 2025
            new("Salle du Blosne", Utc("2025-12-20T10:00:00Z"), ["2025-12-30", "2026-01-06"], "09:00", "12:00", null, true), // one date in each year
            new("Atelier de Maurepas", Utc("2025-05-01T10:00:00Z"), ["2025-05-06"], "10:00", "11:30", "Collectif Vélo", false), // still waiting
            new("Atelier de Maurepas", Utc("2025-12-31T22:30:00Z"), ["2026-01-08"], "10:00", "12:00", "Collectif Vélo", true), // asked in 2025, lent in 2026
            new("Atelier de Maurepas", Utc("2025-02-01T10:00:00Z"), ["2025-02-04"], "09:00", "18:00", "Les Jardins partagés", true, Cancelled: true),
            new("Atelier de Maurepas", Utc("2025-06-01T10:00:00Z"), ["2025-06-03", "2025-06-10", "2025-06-17"], "09:30", "11:00", "les jardins partagés", true), // the same structure, written otherwise
            new("Salle de la Courrouze", Utc("2025-12-31T23:30:00Z"), ["2026-01-13"], "14:00", "15:00", null, true), // asked in 2026
        ];

        private readonly SettableClock _clock = new();

        private FormsTestServices _services = null!;

        public ActivityReportResult Year2025 { get; private set; } = null!;

        public ActivityReportResult March2025 { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _services = await FormsTestServices.StartAsync(SampleSettings(), _clock);
            var partners = await SeedActorsAsync();
            await SeedPorteursAsync(partners);
            await SeedMessagesAsync();
            await SeedNewsletterAsync();
            await SeedAgendaAsync();
            await SeedRoomsAsync(partners);
            var report = _services.Get<ActivityReport>();
            Year2025 = await report.ComputeAsync(ReportPeriod.Year(2025), default);
            March2025 = await report.ComputeAsync(new ReportPeriod(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31)), default);
        }

        public async Task DisposeAsync() => await _services.DisposeAsync();

        /// <summary>The settings of local.settings.sample.json (every module's), but storage and mail, which the test services set.</summary>
        private static Dictionary<string, string?> SampleSettings()
        {
            var values = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ResoSolidaire.Testing.RepoPaths.Combine("local.settings.sample.json")))!["Values"]!.AsObject();
            var settings = values
                .Where(v => !v.Key.StartsWith("Storage__", StringComparison.Ordinal) && !v.Key.StartsWith("SendGrid__", StringComparison.Ordinal) && !v.Key.StartsWith("AzureWebJobs", StringComparison.Ordinal))
                .ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value!.ToString());
            settings["Tokens:SigningKey"] = Newsletter.NewsletterBackend.SigningKey;
            return settings;
        }

        private async Task<Dictionary<string, ActorEntity>> SeedActorsAsync()
        {
            var store = _services.Get<ActorStore>();
            var created = new Dictionary<string, ActorEntity>(StringComparer.Ordinal);
            foreach (var actor in Actors)
            {
                _clock.SetUtcNow(actor.At);
                var commune = actor.Insee is null ? null : CommuneDirectory.Instance.FindByInseeCode(actor.Insee);
                var fields = new ActorFields(actor.Name, actor.Kind, actor.Status, null, actor.Sectors, commune, null, null, null, [], [], null, [], false, null);
                var result = await store.CreateAsync(fields, Tester, default);
                created[actor.Name] = result.Actor!;
            }

            return created;
        }

        private async Task SeedPorteursAsync(Dictionary<string, ActorEntity> partners)
        {
            var intakes = _services.Table(PorteurForm.TableName);
            await intakes.CreateIfNotExistsAsync();
            foreach (var intake in Intakes)
            {
                var commune = CommuneDirectory.Instance.FindByInseeCode(intake.Insee)!;
                await intakes.AddEntityAsync(new PorteurEntity
                {
                    RowKey = intake.Reference,
                    Reference = intake.Reference,
                    CreatedAt = intake.At,
                    FirstName = "Awa",
                    LastName = "Test",
                    Email = $"{intake.Reference.ToLowerInvariant()}@exemple.fr",
                    CommuneInsee = commune.InseeCode,
                    CommuneName = commune.Name,
                    EpciCode = commune.EpciCode,
                    InPaysDeRennes = commune.InPaysDeRennes,
                    ProjectTitle = "Projet " + intake.Reference,
                    Sector = intake.Sector,
                    Stage = intake.Stage,
                    LegalStatus = intake.Status,
                    ConsentAt = intake.At,
                });
            }

            var cases = _services.Get<CaseFollowUp>();
            foreach (var move in Moves.OrderBy(m => m.At))
            {
                _clock.SetUtcNow(move.At);
                if (move.Phase is { } phase)
                {
                    var (state, refusal) = await cases.ChangePhaseAsync(move.Reference, phase, null, Tester, default);
                    Assert.True(state is not null, refusal?.Title);
                }

                if (move.Partner is { } partner)
                {
                    Assert.NotNull((await cases.OrientAsync(move.Reference, partners[partner], null, Tester, default)).State);
                }
            }
        }

        private async Task SeedMessagesAsync()
        {
            var table = _services.Table(ContactForm.TableName);
            await table.CreateIfNotExistsAsync();
            foreach (var message in Messages)
            {
                await table.AddEntityAsync(new ContactMessageEntity { RowKey = message.Reference, Reference = message.Reference, CreatedAt = message.At, Topic = message.Topic, Name = "Awa Test", Email = "awa@exemple.fr", Message = "Bonjour" });
            }

            var inbox = _services.Get<ContactInbox>();
            foreach (var message in Messages.Where(m => m.HandledAfter is not null))
            {
                _clock.SetUtcNow(message.At + message.HandledAfter!.Value);
                Assert.NotNull(await inbox.MarkHandledAsync(message.Reference, null, Tester, default));
            }
        }

        private async Task SeedNewsletterAsync()
        {
            var editions = _services.Table(NewsletterStorage.Editions);
            await editions.CreateIfNotExistsAsync();
            var events = new List<object>();
            foreach (var edition in Editions)
            {
                await editions.AddEntityAsync(new EditionEntity { RowKey = edition.Id, Kind = edition.Kind, Subject = "Lettre " + edition.Id, Status = edition.Status, SendAtUtc = edition.SendAt, Recipients = edition.Recipients });
                foreach (var (kind, count) in edition.Events)
                {
                    for (var i = 0; i < count; i++)
                    {
                        events.Add(new Dictionary<string, object> { ["email"] = $"destinataire-{Guid.NewGuid():N}@exemple.fr", ["event"] = kind, ["sg_event_id"] = Guid.NewGuid().ToString("N"), ["edition"] = edition.Id, ["batch"] = "b1", ["timestamp"] = edition.SendAt.ToUnixTimeSeconds() });
                    }
                }
            }

            // SendGrid sends an event again when it retries; one without an edition is a transactional mail's.
            var again = (Dictionary<string, object>)events[0];
            events.Add(again);
            events.Add(new Dictionary<string, object> { ["email"] = "autre@exemple.fr", ["event"] = "delivered", ["sg_event_id"] = Guid.NewGuid().ToString("N") });
            var recorder = _services.Get<SendGridEventRecorder>();
            Assert.NotNull(await recorder.RecordAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(events)), default));

            // Subscribers gained and lost: confirmed (one at 00:30 on 1 January in Rennes, one the evening before),
            // then one unsubscribes, one bounces, one is erased, all in 2025.
            var subscriptions = _services.Get<SubscriptionService>();
            var hasher = _services.Get<EmailHasher>();
            async Task<string> ConfirmedAsync(string email, DateTimeOffset at)
            {
                _clock.SetUtcNow(at);
                await subscriptions.SubscribeAsync(new SubscriptionRequest(EmailAddress.Parse(email), null, null, null, "test"), default);
                var key = hasher.Hash(EmailAddress.Parse(email));
                Assert.Equal(LinkOutcome.Done, await subscriptions.ConfirmAsync(key, default));
                return key;
            }

            var first = await ConfirmedAsync($"abonne-1-{Guid.NewGuid():N}@exemple.fr", Utc("2025-02-10T10:00:00Z"));
            var second = $"abonne-2-{Guid.NewGuid():N}@exemple.fr";
            await ConfirmedAsync(second, Utc("2024-12-31T23:30:00Z"));
            var third = $"abonne-3-{Guid.NewGuid():N}@exemple.fr";
            await ConfirmedAsync(third, Utc("2024-12-31T22:30:00Z"));

            _clock.SetUtcNow(Utc("2025-04-01T10:00:00Z"));
            await subscriptions.UnsubscribeAsync(first, "lien", default);
            _clock.SetUtcNow(Utc("2025-08-01T10:00:00Z"));
            var bounce = new[] { new { email = second, @event = "bounce", sg_event_id = Guid.NewGuid().ToString("N") } };
            Assert.NotNull(await recorder.RecordAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(bounce)), default));
            _clock.SetUtcNow(Utc("2025-09-01T10:00:00Z"));
            await _services.Get<PrivacyService>().EraseAsync(EmailAddress.Parse(third), Tester, default);
        }

        private async Task SeedAgendaAsync()
        {
            var agenda = _services.Get<AgendaService>();
            foreach (var proposal in Proposals)
            {
                _clock.SetUtcNow(proposal.At);
                var id = await agenda.ProposeAsync(
                    new AgendaEventEntity { Title = "Atelier", StartDate = proposal.Day, Place = "Le Tambour", Commune = "Rennes", Description = "Rencontre", Organiser = "Structure", OrganiserKind = proposal.Kind.Length == 0 ? null : proposal.Kind, ContactName = "Awa", ContactEmail = "awa@exemple.fr" },
                    default);
                if (proposal.Approve is { } approve)
                {
                    _clock.SetUtcNow(proposal.At + TimeSpan.FromHours(2));
                    Assert.Equal(ModerationOutcome.Done, (await agenda.ModerateAsync(id, approve, approve ? null : "Hors sujet", Tester, default)).Outcome);
                }
            }
        }

        private async Task SeedRoomsAsync(Dictionary<string, ActorEntity> lenders)
        {
            var catalog = _services.Get<RoomCatalog>();
            var created = new Dictionary<string, RoomEntity>(StringComparer.Ordinal);
            foreach (var room in Rooms)
            {
                _clock.SetUtcNow(room.At);
                var errors = new FieldErrors();
                var fields = RoomFields.Check(
                    new RoomInput(room.Lender, room.Name, "salle-de-reunion", "20", ["wifi"], true, "7 boulevard de Yougoslavie", "35238", null, "gratuit", null, null,
                        new Dictionary<DayOfWeek, string?> { [DayOfWeek.Tuesday] = "9h-18h", [DayOfWeek.Thursday] = "9h-18h" }, null, "Morgane Le Goff", "salles@exemple.fr", null),
                    CommuneDirectory.Instance,
                    errors);
                Assert.False(errors.Any, string.Join("; ", errors.Summary.Select(e => e.Value)));
                var (outcome, entity) = await catalog.CreateAsync(fields, lenders[room.Lender].RowKey, Tester, default);
                Assert.Equal(RoomOutcome.Done, outcome);
                created[room.Name] = entity!;
            }

            var bookings = _services.Get<BookingService>();
            var ledger = _services.Get<SubmissionLedger>();
            foreach (var booking in Bookings.OrderBy(b => b.At))
            {
                _clock.SetUtcNow(booking.At);
                var room = created[booking.Room];
                var days = booking.Days.Select(d => LocalDates.Parse(d)!.Value).ToList();
                var request = new BookingRequestEntity
                {
                    RoomId = room.RowKey,
                    RoomName = room.Name,
                    Name = "Awa Diallo",
                    Email = booking.Email,
                    Structure = booking.Structure,
                    Purpose = "Réunion",
                    People = 10,
                    StartTime = booking.Start,
                    EndTime = booking.End,
                    Recurrence = days.Count == 1 ? "aucune" : "hebdomadaire",
                    Until = days.Count == 1 ? null : LocalDates.ToText(days[^1]),
                };
                var stored = await bookings.RequestAsync(room, new BookingSubmission(request, days, [], ledger.Fingerprint("reservation", [booking.Email, booking.Days[0], booking.Start])), default);
                var reference = stored.Pending!.Id!;
                if (booking.Accepted)
                {
                    _clock.SetUtcNow(booking.At + TimeSpan.FromHours(1));
                    Assert.Equal(DecisionOutcome.Done, (await bookings.AcceptAsync(reference, Decider.Lender, default)).Outcome);
                }

                if (booking.Cancelled)
                {
                    _clock.SetUtcNow(booking.At + TimeSpan.FromHours(2));
                    Assert.Equal(DecisionOutcome.Done, (await bookings.CancelAsync(reference, Decider.Lender, default)).Outcome);
                }
            }
        }
    }

    /// <summary>A clock set to when each seeded thing happens, in any order (the fake one only goes forward).</summary>
    private sealed class SettableClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

        public void SetUtcNow(DateTimeOffset now) => _now = now;

        public override DateTimeOffset GetUtcNow() => _now;
    }

    private static ReportSection Section(ActivityReportResult report, string key) => Assert.Single(report.Sections, s => s.Key == key);

    private static double? Figure(ReportSection section, string label) => Assert.Single(section.Figures, f => f.Label.StartsWith(label, StringComparison.Ordinal)).Value;

    /// <summary>A table as label → values, for comparing with what the test counts.</summary>
    private static Dictionary<string, double?[]> Table(ReportSection section, string key) =>
        Assert.Single(section.Tables, t => t.Key == key).Rows.ToDictionary(r => r.Label, r => r.Values.ToArray());

    private static Dictionary<string, double?[]> Counts(IEnumerable<string> labels) =>
        labels.GroupBy(l => l).ToDictionary(g => g.Key, g => new double?[] { g.Count() });

    private static Dictionary<string, double?[]> Counts(IEnumerable<string> all, IEnumerable<string> some)
    {
        var rows = new Dictionary<string, double?[]>();
        foreach (var (label, column) in all.Select(l => (l, 0)).Concat(some.Select(l => (l, 1))))
        {
            rows.TryAdd(label, [0, 0]);
            rows[label][column]++;
        }

        return rows;
    }

    [Fact]
    public void PorteursAreCountedByTheDayOfTheirIntakeInRennesByEveryClassification()
    {
        var section = Section(data.Year2025, "porteurs");
        var received = Seeded.Intakes.Where(i => In2025(i.At)).ToList();

        Assert.Equal(["PP-2025-0001", "PP-2025-0002", "PP-2025-0003", "PP-2025-0004", "PP-2025-0005"], received.Select(i => i.Reference));
        Assert.Equal(received.Count, Figure(section, "Porteurs de projet reçus"));
        Assert.Equal(received.Count(i => !CommuneDirectory.Instance.FindByInseeCode(i.Insee)!.InPaysDeRennes), Figure(section, "dont hors du Pays de Rennes"));
        Assert.Equal(Counts(received.Select(i => ResoSolidaire.Functions.Directory.Sectors.Terms.Label(i.Sector))), Table(section, "porteurs-secteur"));
        Assert.Equal(Counts(received.Select(i => PorteurForm.Stages[i.Stage])), Table(section, "porteurs-stade"));
        Assert.Equal(Counts(received.Select(i => PorteurForm.LegalStatuses[i.Status])), Table(section, "porteurs-statut"));
        Assert.Equal(Counts(received.Select(i => CommuneDirectory.Instance.FindByInseeCode(i.Insee)!.Name)), Table(section, "porteurs-commune"));
        Assert.Equal(
            Counts(received.Select(i => CommuneDirectory.Instance.FindByInseeCode(i.Insee)!.EpciCode is { } epci && CommuneDirectory.PaysDeRennesEpcis.TryGetValue(epci, out var name) ? name : "Hors Pays de Rennes")),
            Table(section, "porteurs-epci"));

        var months = Table(section, "porteurs-par-mois");
        Assert.Equal(12, months.Count);
        Assert.Equal(1, months["janvier 2025"][0]);
        Assert.Equal(2, months["mars 2025"][0]);
        Assert.Equal(1, months["décembre 2025"][0]);
        Assert.Equal(received.Count, months.Values.Sum(v => v[0]));
    }

    [Fact]
    public void PhasesReachedOrientationsAndTheMedianDelayFollowTheTimelines()
    {
        var section = Section(data.Year2025, "porteurs");
        var received = Seeded.Intakes.Where(i => In2025(i.At)).ToList();
        string[] forward = [CasePhases.Accueil, CasePhases.Diagnostic, CasePhases.Orientation, CasePhases.Accompagnement, CasePhases.Suivi];
        var reached = received.Select(i => CasePhases.Label(forward.Last(p => p == CasePhases.Accueil || Seeded.Moves.Any(m => m.Reference == i.Reference && m.Phase == p))));
        Assert.Equal(Counts(reached), Table(section, "porteurs-phase"));

        var delays = received
            .Select(i => Seeded.Moves.Where(m => m.Reference == i.Reference && m.Phase is not null).Select(m => (m.At - i.At).TotalDays).DefaultIfEmpty(double.NaN).Min())
            .Where(d => !double.IsNaN(d))
            .Order()
            .ToList();
        Assert.Equal(3, delays.Count);
        Assert.Equal(Math.Round(delays[1], 1), Figure(section, "Délai médian"));

        var orientations = Seeded.Moves.Where(m => m.Partner is not null && In2025(m.At)).ToList();
        Assert.Equal(orientations.Count, Figure(section, "Orientations vers des structures partenaires"));
        var kinds = orientations.Select(o => ActorKinds.Terms.Find(Seeded.Actors.Single(a => a.Name == o.Partner).Kind)!.Label);
        Assert.Equal(Counts(kinds), Table(section, "orientations-partenaires"));
        Assert.Equal(1, Figure(section, "Dossiers reçus dans la période et clos"));
        Assert.Equal(1, Figure(section, "Dossiers reçus dans la période et abandonnés"));
    }

    [Fact]
    public void AnyTwoDatesMakeAPeriodToo()
    {
        var section = Section(data.March2025, "porteurs");

        Assert.Equal(Seeded.Intakes.Count(i => TimeZoneInfo.ConvertTime(i.At, Paris) is { Year: 2025, Month: 3 }), Figure(section, "Porteurs de projet reçus"));
        Assert.Equal(["mars 2025"], Table(section, "porteurs-par-mois").Keys);
        Assert.Equal(1, Figure(section, "Orientations vers des structures partenaires"));
    }

    [Fact]
    public void ContactMessagesCountStudentsApartAndHowSoonTheyWereHandled()
    {
        var section = Section(data.Year2025, "contact");
        var received = Seeded.Messages.Where(m => In2025(m.At)).ToList();
        var students = received.Where(m => m.Topic == "orientation-etudiant").ToList();
        var others = received.Except(students).ToList();

        Assert.Equal(others.Count, Figure(section, "Messages reçus"));
        Assert.Equal(students.Count, Figure(section, "Questions d'orientation"));
        Assert.Equal(received.Count(m => m.HandledAfter is not null), Figure(section, "Messages traités"));
        Assert.Equal(Counts(others.Select(m => ContactForm.Topics[m.Topic])), Table(section, "contact-sujet"));
        var hours = received.Where(m => m.HandledAfter is not null).Select(m => m.HandledAfter!.Value.TotalHours).Order().ToList();
        Assert.Equal((hours[1] + hours[2]) / 2, Figure(section, "Délai médian de traitement"));

        static string Delay(Message m) => m.HandledAfter switch
        {
            null => "Pas encore traités",
            { TotalHours: <= 24 } => "En moins de 24 heures",
            { TotalHours: <= 48 } => "En 1 à 2 jours",
            { TotalDays: <= 7 } => "En 2 à 7 jours",
            _ => "En plus de 7 jours",
        };
        var expected = new Dictionary<string, double?[]>();
        foreach (var m in received)
        {
            expected.TryAdd(Delay(m), [0, 0]);
            expected[Delay(m)][m.Topic == "orientation-etudiant" ? 1 : 0]++;
        }

        Assert.Equal(expected, Table(section, "contact-delai"));
    }

    [Fact]
    public void TheDirectoryCountsWhatItListsAtTheEndOfThePeriodAndWhatWasAddedInIt()
    {
        var section = Section(data.Year2025, "annuaire");
        var end = Utc("2025-12-31T23:00:00Z");
        var listed = Seeded.Actors.Where(a => a.At < end).ToList();
        var added = listed.Where(a => In2025(a.At)).ToList();

        Assert.Equal(5, listed.Count);
        Assert.Equal(listed.Count, Figure(section, "Acteurs dans l'annuaire"));
        Assert.Equal(added.Count, Figure(section, "Acteurs ajoutés"));
        Assert.Equal(1, Figure(section, "dont personnes"));
        string Kind(Actor a) => ActorKinds.Terms.Find(a.Kind)!.Label;
        Assert.Equal(Counts(listed.Select(Kind), added.Select(Kind)), Table(section, "annuaire-type"));
        IEnumerable<string> SectorsOf(Actor a) => a.Sectors.Length == 0 ? ["Non renseigné"] : a.Sectors.Select(s => Sectors.Terms.Find(s)!.Label);
        Assert.Equal(Counts(listed.SelectMany(SectorsOf), added.SelectMany(SectorsOf)), Table(section, "annuaire-secteur"));
        string Epci(Actor a) => a.Insee is null ? "Non renseigné" : CommuneDirectory.EpciLabel(CommuneDirectory.Instance.FindByInseeCode(a.Insee)!.EpciCode);
        Assert.Equal(Counts(listed.Select(Epci), added.Select(Epci)), Table(section, "annuaire-epci"));

        // Two spellings of one legal status are one row, shown as it is most often written.
        var statuses = Table(section, "annuaire-statut");
        Assert.Equal([3, 2], statuses["Association loi 1901"]);
        Assert.Equal([1, 1], statuses["SCOP"]);
        Assert.Equal([1, 1], statuses["Non renseigné"]);
    }

    [Fact]
    public void TheNewsletterCountsTheEditionsSentInTheYearTheirWebhookEventsAndTheSubscribersGainedAndLost()
    {
        var section = Section(data.Year2025, "newsletter");
        var sent = Seeded.Editions.Where(e => e.Status == EditionStatus.Sent && In2025(e.SendAt)).ToList();
        int Events(params string[] kinds) => sent.Sum(e => e.Events.Where(x => kinds.Contains(x.Event)).Sum(x => x.Count));

        Assert.Equal(sent.Count(e => e.Kind == EditionKind.Monthly), Figure(section, "Lettres mensuelles"));
        Assert.Equal(sent.Count(e => e.Kind == EditionKind.Mailing), Figure(section, "Envois ciblés"));
        Assert.Equal(sent.Sum(e => e.Recipients), Figure(section, "Destinataires"));
        Assert.Equal(Events("delivered"), Figure(section, "Courriels délivrés"));
        Assert.Equal(Events("bounce", "dropped"), Figure(section, "Courriels en échec"));
        Assert.Equal(Events("unsubscribe"), Figure(section, "Désinscriptions"));
        Assert.Equal(Events("spamreport"), Figure(section, "Signalements"));
        var rows = Assert.Single(section.Tables, t => t.Key == "newsletter-envois").Rows;
        Assert.Equal(sent.Select(e => (double?)e.Recipients), rows.Select(r => r.Values[0]));

        Assert.Equal(2, Figure(section, "Abonnés gagnés"));
        Assert.Equal(3, Figure(section, "Abonnés perdus"));
        Assert.Equal(
            new Dictionary<string, double?[]> { ["Désinscription"] = [1], ["Adresse en échec"] = [1], ["Effacement des données"] = [1] },
            Table(section, "newsletter-pertes"));
        var months = Table(section, "newsletter-abonnes");
        Assert.Equal([1, 0], months["janvier 2025"]);
        Assert.Equal([0, 1], months["avril 2025"]);
    }

    [Fact]
    public void TheAgendaCountsProposalsByOrganiserKindAndTheEventsHeldInThePeriod()
    {
        var section = Section(data.Year2025, "agenda");
        var proposed = Seeded.Proposals.Where(p => In2025(p.At)).ToList();
        string Kind(Proposal p) => p.Kind.Length == 0 ? "Non renseigné" : OrganiserKinds.Terms.Label(p.Kind);

        Assert.Equal(proposed.Count, Figure(section, "Événements proposés"));
        Assert.Equal(proposed.Count(p => p.Approve == true), Figure(section, "dont publiés"));
        Assert.Equal(proposed.Count(p => p.Approve == false), Figure(section, "dont refusés"));
        Assert.Equal(proposed.Count(p => p.Approve is null), Figure(section, "dont en attente"));
        Assert.Equal(Seeded.Proposals.Count(p => p.Approve == true && p.Day.StartsWith("2025", StringComparison.Ordinal)), Figure(section, "Événements publiés ayant eu lieu"));
        Assert.Equal(Counts(proposed.Select(Kind), proposed.Where(p => p.Approve == true).Select(Kind)), Table(section, "agenda-organisateurs"));
    }

    [Fact]
    public void RoomsCountTheDatesLentInThePeriodInRennesCalendarNotThoseAskedForNorCancelled()
    {
        var section = Section(data.Year2025, "salles");
        static bool DayIn2025(string day) => day.StartsWith("2025-", StringComparison.Ordinal);
        var lent = Seeded.Bookings.Where(b => b.Accepted && !b.Cancelled).SelectMany(b => b.Days.Where(DayIn2025).Select(d => (Booking: b, Day: d))).ToList();
        var lentBookings = lent.Select(l => l.Booking).Distinct().ToList();
        var yearEnd = Utc("2025-12-31T23:00:00Z");

        Assert.Equal(Seeded.Rooms.Count(r => r.At < yearEnd), Figure(section, "Salles proposées"));
        Assert.Equal(Seeded.Bookings.Count(b => In2025(b.At)), Figure(section, "Demandes reçues"));
        Assert.Equal(lentBookings.Count, Figure(section, "Réservations confirmées"));
        Assert.Equal(lent.Count, Figure(section, "Créneaux prêtés"));
        Assert.Equal(lent.Sum(l => l.Booking.Hours), Figure(section, "Heures prêtées"));
        Assert.Equal(lent.Select(l => Seeded.Rooms.Single(r => r.Name == l.Booking.Room).Lender).Distinct().Count(), Figure(section, "Structures qui prêtent"));
        Assert.Equal(
            lentBookings.Select(b => b.Structure?.ToLowerInvariant() ?? b.Email).Distinct().Count(),
            Figure(section, "Structures et personnes accueillies"));
        Assert.Equal(
            lent.GroupBy(l => l.Booking.Room).ToDictionary(g => g.Key, g => new double?[] { g.Count(), g.Sum(l => l.Booking.Hours) }),
            Table(section, "salles-par-salle"));

        // March 2025 alone: the rooms offered by then, nothing lent in it (the cancelled February date is not).
        var march = Section(data.March2025, "salles");
        Assert.Equal(Seeded.Rooms.Count(r => r.At < Utc("2025-03-31T22:00:00Z")), Figure(march, "Salles proposées"));
        Assert.Equal(0, Figure(march, "Créneaux prêtés"));
    }

    [Fact]
    public void EveryModuleThatRegisteredFiguresHasItsSectionInOrder()
    {
        Assert.Equal(["porteurs", "contact", "annuaire", "newsletter", "agenda", "salles"], data.Year2025.Sections.Select(s => s.Key));
        Assert.Equal(0, data.Year2025.Incomplete);
    }

    [Fact]
    public void TheSpreadsheetHasASheetPerSectionWithItsFigures()
    {
        using var stream = new MemoryStream(ReportWorkbook.Write(data.Year2025));
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, false);
        var sheets = document.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value).ToList();

        Assert.Equal(data.Year2025.Sections.Select(s => s.Title), sheets);
        var porteurs = (DocumentFormat.OpenXml.Packaging.WorksheetPart)document.WorkbookPart.GetPartById(document.WorkbookPart.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().First().Id!);
        var rows = porteurs.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().ToList();
        var received = rows.Single(r => r.InnerText.StartsWith("Porteurs de projet reçus", StringComparison.Ordinal));
        var cell = received.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().ElementAt(1);
        Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.CellValues.Number, cell.DataType!.Value);
        Assert.Equal("5", cell.CellValue!.Text);
    }
}
