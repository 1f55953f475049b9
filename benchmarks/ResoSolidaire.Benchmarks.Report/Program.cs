using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResoSolidaire.Functions;
using ResoSolidaire.Functions.Agenda;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Inbox;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Newsletter.Webhook;
using ResoSolidaire.Functions.Platform.Report;
using ResoSolidaire.Functions.Platform.Staff;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Porteurs.FollowUp;
using ResoSolidaire.Functions.Report;
using ResoSolidaire.Functions.Rooms;
using ResoSolidaire.Testing;

// The activity report for a year (every module's figures, as the console computes them) against a raw scan of the
// same rows (every table the report reads, read whole as the SDK gives them, side by side as the report reads them),
// in the same run, on Azurite. Rows are seeded with batched table inserts, not through HTTP.
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks.Report -- [intakes=5000] [actors=10000] [editions=12] [rounds=5]
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var intakes = Arg(0, 5_000);
var actors = Arg(1, 10_000);
var editions = Arg(2, 12);
var rounds = Arg(3, 5);
var azurite = await AzuriteServer.SharedAsync();
var prefix = AzuriteServer.UniquePrefix();
var clock = Stopwatch.StartNew();
var seeded = await Seed.AllAsync(azurite.ConnectionString, prefix, intakes, actors, editions);
Console.WriteLine($"Seeded {seeded:N0} rows ({intakes:N0} intakes and their cases, {actors:N0} actors, {editions} editions and their SendGrid events, messages, proposals, audience changes, rooms and booking requests) in {clock.Elapsed.TotalSeconds:F0} s.");

// Every module's settings as local.settings.sample.json gives them (the rooms' and the mail's included: their services
// are built with the report's, though it sends nothing), storage pointed at this run's Azurite and prefix.
var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))!["Values"]!.AsObject()
    .Where(v => !v.Key.StartsWith("Storage__", StringComparison.Ordinal) && !v.Key.StartsWith("AzureWebJobs", StringComparison.Ordinal))
    .ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value!.ToString());
settings["Storage:ConnectionString"] = azurite.ConnectionString;
settings["Storage:NamePrefix"] = prefix;
var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
var services = new ServiceCollection();
services.AddLogging();
services.AddSingleton<IConfiguration>(configuration);
services.AddResoSolidaireServices(configuration);
await using var provider = services.BuildServiceProvider();
var report = provider.GetRequiredService<ActivityReport>();
var year = ReportPeriod.Year(Seed.Year);

var timings = new List<double>();
var raw = new List<double>();
long scanned = 0;
ActivityReportResult? result = null;
for (var round = 0; round <= rounds; round++)
{
    // Round 0 warms both up (JIT, connections); the others alternate which goes first.
    double reportSeconds = 0, rawSeconds = 0;
    for (var leg = 0; leg < 2; leg++)
    {
        var watch = Stopwatch.StartNew();
        if ((leg + round) % 2 == 0)
        {
            result = await report.ComputeAsync(year, default);
            reportSeconds = watch.Elapsed.TotalSeconds;
        }
        else
        {
            scanned = await Raw.ScanAsync(azurite.ConnectionString, prefix);
            rawSeconds = watch.Elapsed.TotalSeconds;
        }
    }

    if (round > 0)
    {
        timings.Add(reportSeconds);
        raw.Add(rawSeconds);
        Console.WriteLine($"round {round}: report {reportSeconds:F2} s, raw scan {rawSeconds:F2} s ({reportSeconds / rawSeconds:F2}x)");
    }
}

double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var porteurs = result!.Sections.Single(s => s.Key == "porteurs").Figures[0].Value;
Console.WriteLine();
Console.WriteLine($"| rows read | report for {Seed.Year} (median of {rounds}) | raw scan of the same tables | ratio |");
Console.WriteLine("|---:|---:|---:|---:|");
Console.WriteLine($"| {scanned:N0} | {Median(timings):F2} s | {Median(raw):F2} s | {Median(timings) / Median(raw):F2}x |");
var slots = result.Sections.Single(s => s.Key == "salles").Figures.Single(f => f.Label == "Créneaux prêtés").Value;
Console.WriteLine($"(the report counted {porteurs:N0} porteurs received, {slots:N0} room slots lent, {result.Sections.Count} sections, {result.Incomplete} incomplete)");
return 0;

internal static class Raw
{
    /// <summary>The floor: every table the report reads, each read whole as the SDK gives it, side by side; the rows counted.</summary>
    public static async Task<long> ScanAsync(string connectionString, string prefix)
    {
        string[] tables =
        [
            PorteurForm.TableName, CaseStore.TableName, ActorStore.TableName, ContactForm.TableName, ContactInbox.TableName,
            NewsletterStorage.Editions, NewsletterStorage.DeliveryEvents, NewsletterStorage.AudienceChanges, AgendaStorage.ProposalLog,
            RoomsStorage.Rooms, RoomsStorage.Requests,
        ];
        var counts = await Task.WhenAll(tables.Select(async name =>
        {
            long count = 0;
            await foreach (var page in new TableClient(connectionString, prefix + name).QueryAsync<TableEntity>(maxPerPage: 1000).AsPages())
            {
                count += page.Values.Count;
            }

            return count;
        }));
        return counts.Sum();
    }
}

internal static class Seed
{
    public const int Year = 2025;

    private static readonly string[] Sectors = ["alimentation", "mobilite", "reemploi-recyclage", "habitat", "culture", "numerique", "insertion-emploi", "autre"];
    private static readonly string[] Stages = ["idee", "etude", "creation", "developpement"];
    private static readonly string[] Statuses = ["association", "scop", "scic", "cae", "entreprise-esus", "ne-sait-pas"];
    private static readonly (string Insee, string Name, string Epci, bool Pays)[] Communes =
    [
        ("35238", "Rennes", "243500139", true), ("35051", "Cesson-Sévigné", "243500139", true), ("35152", "Liffré", "243500774", true), ("35288", "Saint-Malo", "243500782", false),
    ];

    private static readonly string[] Kinds = ["association", "cooperative", "mutuelle", "entreprise-ess", "collectivite", "individu"];

    private static DateTimeOffset InYear(Random random) => new DateTimeOffset(Year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 364 * 24 * 60));

    public static async Task<long> AllAsync(string connectionString, string prefix, int intakes, int actors, int editions)
    {
        var random = new Random(16);
        TableClient Table(string name) => new(connectionString, prefix + name);
        var partners = Enumerable.Range(0, 20).Select(_ => ActorStore.NewId()).ToList();
        long rows = 0;

        // The directory: 16 partitions, batches of 100; twenty of them are the porteurs' partners.
        var actorRows = Enumerable.Range(0, actors).Select(i =>
        {
            var id = i < partners.Count ? partners[i] : ActorStore.NewId();
            var commune = Communes[i % Communes.Length];
            return (ITableEntity)new ActorEntity
            {
                PartitionKey = ActorEntity.PartitionOf(id),
                RowKey = id,
                Name = $"Acteur n° {i}",
                NameKey = $"acteur n {i}",
                Kind = Kinds[i % Kinds.Length],
                LegalStatus = i % 3 == 0 ? "Association loi 1901" : "SCOP",
                LegalStatusKey = i % 3 == 0 ? "association loi 1901" : "scop",
                Sectors = $"{Sectors[i % Sectors.Length]}\n{Sectors[(i + 3) % Sectors.Length]}",
                CommuneInsee = commune.Insee,
                CommuneName = commune.Name,
                Epci = commune.Epci,
                Emails = $"contact-{i}@acteur.example",
                Notes = "Rencontré au forum.",
                CreatedAt = InYear(random).AddYears(-(i % 3)),
                CreatedBy = "import",
                UpdatedAt = DateTimeOffset.UtcNow,
                UpdatedBy = "import",
            };
        }).ToList();
        rows += await BatchesAsync(Table(ActorStore.TableName), actorRows);

        // The porteurs: the intakes (one partition) and, per case, its state and timeline (a transaction each).
        var intakeRows = new List<ITableEntity>();
        var caseRows = new List<ITableEntity>();
        for (var i = 0; i < intakes; i++)
        {
            var reference = $"PP-{Year}-{i + 1:D5}";
            var at = InYear(random);
            var commune = Communes[i % Communes.Length];
            intakeRows.Add(new PorteurEntity
            {
                RowKey = reference,
                Reference = reference,
                CreatedAt = at,
                FirstName = "Awa",
                LastName = $"Porteuse {i}",
                Email = $"porteur-{i}@exemple.fr",
                Phone = "+33600000000",
                CommuneInsee = commune.Insee,
                CommuneName = commune.Name,
                EpciCode = commune.Epci,
                InPaysDeRennes = commune.Pays,
                ProjectTitle = $"Projet {i}",
                ProjectDescription = "Une épicerie solidaire avec un atelier de réparation.",
                Sector = Sectors[i % Sectors.Length],
                Stage = Stages[i % Stages.Length],
                LegalStatus = Statuses[i % Statuses.Length],
                Needs = "financement,local",
                ConsentAt = at,
            });
            if (i % 5 < 3)
            {
                var moved = at.AddDays(1 + (i % 20));
                caseRows.Add(new CaseStateEntity { PartitionKey = reference, Phase = i % 2 == 0 ? CasePhases.Diagnostic : CasePhases.Orientation, UpdatedAt = moved, UpdatedBy = "Camille Martin" });
                caseRows.Add(new CaseEventEntity { PartitionKey = reference, RowKey = $"t-{moved.UtcTicks:D19}-a", Kind = CaseEventKinds.Phase, At = moved, By = "Camille Martin", PhaseFrom = CasePhases.Accueil, PhaseTo = CasePhases.Diagnostic, Summary = "Phase." });
                if (i % 2 == 1)
                {
                    caseRows.Add(new CaseEventEntity { PartitionKey = reference, RowKey = $"t-{moved.AddDays(7).UtcTicks:D19}-b", Kind = CaseEventKinds.Orientation, At = moved.AddDays(7), By = "Camille Martin", ActorId = partners[i % partners.Count], ActorName = "Partenaire", Summary = "Orienté." });
                }
            }
        }

        rows += await BatchesAsync(Table(PorteurForm.TableName), intakeRows);
        rows += await BatchesAsync(Table(CaseStore.TableName), caseRows);

        // The newsletter: the year's editions, each with its SendGrid events; subscribers gained and lost.
        var editionRows = new List<ITableEntity>();
        var eventRows = new List<ITableEntity>();
        for (var e = 0; e < editions; e++)
        {
            var id = $"{Year}{e + 1:D2}-edition";
            editionRows.Add(new EditionEntity { RowKey = id, Subject = $"La lettre n° {e + 1}", Status = EditionStatus.Sent, SendAtUtc = new DateTimeOffset(Year, 1 + (e % 12), 5, 8, 0, 0, TimeSpan.Zero), Recipients = 800 });
            for (var r = 0; r < 800; r++)
            {
                eventRows.Add(new DeliveryEventEntity { PartitionKey = id, RowKey = $"ev-{e}-{r}", Event = r < 760 ? "delivered" : r < 780 ? "bounce" : "unsubscribe" });
            }
        }

        rows += await BatchesAsync(Table(NewsletterStorage.Editions), editionRows);
        rows += await BatchesAsync(Table(NewsletterStorage.DeliveryEvents), eventRows);
        rows += await BatchesAsync(Table(NewsletterStorage.AudienceChanges), [.. Enumerable.Range(0, 400).Select(i =>
        {
            var at = InYear(random);
            return (ITableEntity)new AudienceChangeEntity { PartitionKey = at.ToString("yyyy-MM", CultureInfo.InvariantCulture), RowKey = $"{at.UtcTicks:D19}-{i}", Change = i % 3 == 0 ? AudienceChangeEntity.Lost : AudienceChangeEntity.Gained, Reason = i % 3 == 0 ? "unsubscribe" : null, At = at };
        })]);

        // Contact messages and their handling; agenda proposals.
        var messages = Enumerable.Range(0, 1000).Select(i => (Reference: $"CT-{Year}-{i + 1:D4}", At: InYear(random))).ToList();
        rows += await BatchesAsync(Table(ContactForm.TableName), [.. messages.Select(m => (ITableEntity)new ContactMessageEntity { RowKey = m.Reference, Reference = m.Reference, CreatedAt = m.At, Topic = m.Reference.EndsWith('7') ? "orientation-etudiant" : "information", Name = "Awa", Email = "awa@exemple.fr", Message = "Bonjour, une question sur l'adhésion." })]);
        rows += await BatchesAsync(Table(ContactInbox.TableName), [.. messages.Where((_, i) => i % 5 != 0).Select(m => (ITableEntity)new HandlingEntity { RowKey = m.Reference, HandledAt = m.At.AddHours(20), HandledBy = "Camille Martin" })]);
        rows += await BatchesAsync(Table(AgendaStorage.ProposalLog), [.. Enumerable.Range(0, 300).Select(i => (ITableEntity)new ProposalLogEntity { RowKey = $"p-{i:D4}", ProposedAt = InYear(random), OrganiserKind = i % 4 == 0 ? null : "association", Status = i % 3 == 0 ? "Rejected" : "Approved", StartDate = $"{Year}-06-{1 + (i % 28):D2}" })]);

        // Room sharing: 40 rooms lent by the partners, 1,000 booking requests, 3 in 4 accepted for 1 to 4 weekly dates.
        var rooms = Enumerable.Range(0, 40).Select(i => new RoomEntity { RowKey = $"salle-{i:D2}", Status = RoomStatus.Published, Structure = "Partenaire", ActorId = partners[i % partners.Count], Name = $"Salle {i}", Kind = "salle-de-reunion", Capacity = 20, ModeratedAt = new DateTimeOffset(Year - 1, 6, 1, 10, 0, 0, TimeSpan.Zero) }).ToList();
        rows += await BatchesAsync(Table(RoomsStorage.Rooms), [.. rooms.Cast<ITableEntity>()]);
        rows += await BatchesAsync(Table(RoomsStorage.Requests), [.. Enumerable.Range(0, 1000).Select(i =>
        {
            var at = InYear(random);
            var days = Enumerable.Range(0, 1 + (i % 4)).Select(w => DateOnly.FromDateTime(at.UtcDateTime).AddDays(10 + (7 * w))).ToList();
            var accepted = i % 4 != 0;
            var reference = $"{BookingRequestEntity.ReferencePrefix}-{Year}-{i + 1:D4}";
            return (ITableEntity)new BookingRequestEntity
            {
                RowKey = reference, Reference = reference, CreatedAt = at, RoomId = rooms[i % rooms.Count].RowKey, RoomName = rooms[i % rooms.Count].Name,
                Structure = i % 5 == 0 ? null : $"Structure {i % 150}", Name = "Awa", Email = $"demande-{i}@exemple.fr", EmailHash = $"h{i % 300}", Purpose = "Réunion", People = 12,
                StartTime = "14:00", EndTime = "16:00", Dates = BookingRequestEntity.JoinDays(days), LastDate = LocalDates.ToText(days[^1]),
                Status = accepted ? RequestStatus.Accepted : RequestStatus.Pending, Confirmed = accepted ? BookingRequestEntity.JoinDays(days) : null, BookingDone = accepted,
            };
        })]);
        return rows;
    }

    /// <summary>Batched inserts: 100 rows of one partition per transaction, 16 transactions at a time.</summary>
    private static async Task<long> BatchesAsync(TableClient table, List<ITableEntity> rows)
    {
        await table.CreateIfNotExistsAsync();
        var batches = rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(100)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct));
        return rows.Count;
    }
}
