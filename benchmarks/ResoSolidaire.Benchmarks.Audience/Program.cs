using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResoSolidaire.Functions;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Territory;
using ResoSolidaire.Testing;

// The audience count of a targeted mailing, as the console's builder shows it at each tick (recipients by source,
// after suppressions and opt-outs, a sample), over actors and subscribers in Azurite: the app's NewsletterAudience
// against a raw baseline that does the same reads with the SDK by hand (the same storage filter on the actors, the
// confirmed subscribers, the suppression list, the same keyed hash), in the same run, alternating which goes first.
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks.Audience -- [actors=10000] [subscribers=5000] [rounds=5]
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var actors = Arg(0, 10_000);
var subscribers = Arg(1, 5_000);
var rounds = Arg(2, 5);
const string HashKey = "benchmark-only-email-hash-key-not-a-secret-0123456789";
const string RennesMetropole = "243500139";

var azurite = await AzuriteServer.SharedAsync();
var prefix = AzuriteServer.UniquePrefix();
using var services = Bench.Services(azurite.ConnectionString, prefix, HashKey);
var hasher = services.GetRequiredService<EmailHasher>();
Console.WriteLine($"Seeding {actors:N0} actors and {subscribers:N0} subscribers into Azurite...");
var suppressedCount = await Seed.RunAsync(azurite.ConnectionString, prefix, actors, subscribers, hasher);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{suppressedCount:N0} addresses suppressed. Load average at start: {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores"));

var audience = services.GetRequiredService<NewsletterAudience>();
var criteria = services.GetRequiredService<AudienceCriteria>();
(string Name, AudienceSegment Segment)[] segments =
[
    ("Rennes Métropole, mobilité, associations", new AudienceSegment { Epcis = [RennesMetropole], Sectors = ["mobilite"], Kinds = ["association"] }),
    ("Rennes Métropole, mobilité (both sources)", new AudienceSegment { Epcis = [RennesMetropole], Sectors = ["mobilite"] }),
];

Console.WriteLine();
Console.WriteLine($"| segment | recipients (subscribers + directory) | count, app (median of {rounds}) | builder page: criteria read afresh + count | raw baseline | count / raw |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var (name, segment) in segments)
{
    var app = new List<double>();
    var page = new List<double>();
    var raw = new List<double>();
    AudienceEstimate? estimate = null;
    var rawCount = 0;
    for (var round = 0; round <= rounds; round++)
    {
        // Round 0 warms every path up (JIT, connections, the criteria's cache); the others rotate the order.
        double a = 0, p = 0, r = 0;
        for (var leg = 0; leg < 3; leg++)
        {
            var clock = Stopwatch.StartNew();
            switch ((leg + round) % 3)
            {
                case 0:
                    estimate = await audience.EstimateAsync(segment, 5, default);
                    a = clock.Elapsed.TotalSeconds;
                    break;
                case 1:
                    await criteria.ChoicesAsync(default, fresh: true);
                    await audience.EstimateAsync(segment, 5, default);
                    p = clock.Elapsed.TotalSeconds;
                    break;
                default:
                    rawCount = await Raw.CountAsync(azurite.ConnectionString, prefix, hasher, segment);
                    r = clock.Elapsed.TotalSeconds;
                    break;
            }
        }

        if (round > 0)
        {
            app.Add(a);
            page.Add(p);
            raw.Add(r);
        }
    }

    if (estimate!.Recipients != rawCount)
    {
        throw new InvalidOperationException($"{name}: the app counted {estimate.Recipients}, the raw baseline {rawCount}.");
    }

    var bySource = string.Join(" + ", estimate.Sources.Select(s => s.Recipients.ToString("N0", CultureInfo.InvariantCulture)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {estimate.Recipients:N0} ({bySource}) | {Median(app) * 1000:F0} ms | {Median(page) * 1000:F0} ms | {Median(raw) * 1000:F0} ms | {Median(app) / Median(raw):F2}x |"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Load average at end: {File.ReadAllText("/proc/loadavg").Trim()}"));
return 0;

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

internal static class Bench
{
    public static ServiceProvider Services(string connectionString, string prefix, string hashKey)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:NamePrefix"] = prefix,
            ["Privacy:EmailHashKey"] = hashKey,
            ["Tokens:SigningKey"] = Convert.ToBase64String(new byte[32]),
            ["Newsletter:PublicBaseUrl"] = "http://localhost:7071/api/",
            ["SendGrid:ApiKey"] = "benchmark",
            ["SendGrid:Host"] = "http://127.0.0.1:9",
            ["SendGrid:WebhookPublicKey"] = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAErSUdFYnRA942m40anfx/L/6Ifa2rsYCf+X2+Ld21Fae3gXqiR6I5o66w/ce0M+5nonbBCNsDrlmnQn79XKDACg==",
            ["Mail:FromAddress"] = "ne-pas-repondre@reso-solidaire.example",
            ["Mail:StaffRecipients"] = "equipe@reso-solidaire.example",
            ["Forms:ClientHashKey"] = "benchmark-only-client-hash-key-0123456789",
            ["Forms:ThankYouUrl"] = "http://localhost:8080/merci.html",
            ["Forms:AllowedRedirectOrigins"] = "http://localhost:8080",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddResoSolidaireServices(configuration);
        return services.BuildServiceProvider();
    }
}

/// <summary>
/// The floor: the same reads done by hand. The actors under the same storage filter (opted in, with an address, the
/// segment's kinds and places), the sector tested here; the confirmed subscribers (unless the segment asks a kind or a
/// tag, which they do not have) with their interests; the suppression list; every address hashed to meet it.
/// </summary>
internal static class Raw
{
    public static async Task<int> CountAsync(string connectionString, string prefix, EmailHasher hasher, AudienceSegment segment)
    {
        var suppressed = new HashSet<string>(StringComparer.Ordinal);
        var suppressions = new TableClient(connectionString, prefix + NewsletterStorage.Suppressions);
        await foreach (var s in suppressions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {SuppressionEntity.Partition}"), select: ["RowKey"]))
        {
            suppressed.Add(s.RowKey);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        void Offer(string? email)
        {
            if (EmailAddress.TryParse(email, out var address) && hasher.Hash(address) is var key && seen.Add(key) && !suppressed.Contains(key))
            {
                count++;
            }
        }

        var epcis = segment.Epcis.ToHashSet(StringComparer.Ordinal);
        var sectors = segment.Sectors.ToHashSet(StringComparer.Ordinal);
        if (segment.Kinds.Count == 0 && segment.Tags.Count == 0)
        {
            var table = new TableClient(connectionString, prefix + NewsletterStorage.Subscribers);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubscriberEntity.Partition} and Status eq {SubscriberStatus.Confirmed}");
            await foreach (var s in table.QueryAsync<TableEntity>(filter, select: ["Email", "Territories", "Sectors"]))
            {
                var territories = (s.GetString("Territories") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
                var interests = (s.GetString("Sectors") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
                if ((territories.Length == 0 || territories.Any(epcis.Contains)) && (interests.Length == 0 || interests.Any(sectors.Contains)))
                {
                    Offer(s.GetString("Email"));
                }
            }
        }

        var actors = new TableClient(connectionString, prefix + ActorStore.TableName);
        var parts = new List<string> { TableClient.CreateQueryFilter($"Newsletter eq {true}"), TableClient.CreateQueryFilter($"Emails ne {string.Empty}") };
        if (segment.Kinds.Count > 0)
        {
            parts.Add("(" + string.Join(" or ", segment.Kinds.Select(k => TableClient.CreateQueryFilter($"Kind eq {k}"))) + ")");
        }

        parts.Add("(" + string.Join(" or ", segment.Epcis.Select(e => TableClient.CreateQueryFilter($"Epci eq {e}"))) + ")");
        await foreach (var a in actors.QueryAsync<TableEntity>(string.Join(" and ", parts), maxPerPage: 1000))
        {
            var emails = (a.GetString("Emails") ?? "").Split('\n');
            var actorSectors = (a.GetString("Sectors") ?? "").Split('\n');
            var person = a.GetString("Kind") is "individu" or "etudiant";
            if ((sectors.Count == 0 || actorSectors.Any(sectors.Contains)) && (!person || a.GetString("ConsentDate") is not null))
            {
                Offer(emails[0]);
            }
        }

        return count;
    }
}

/// <summary>A directory and a list of subscribers like the association's, grown: places across the Pays de Rennes, a few sectors each.</summary>
internal static class Seed
{
    private static readonly string[] Kinds = ["association", "association", "association", "association", "cooperative", "entreprise-ess", "fondation", "collectivite", "individu", "etudiant"];

    public static async Task<int> RunAsync(string connectionString, string prefix, int actorCount, int subscriberCount, EmailHasher hasher)
    {
        var random = new Random(42);
        var communes = CommuneDirectory.Instance.All.Where(c => c.InPaysDeRennes).ToList();
        var sectors = Sectors.Terms.All.Select(t => t.Code).ToList();
        var interests = Interests.Sectors.Keys.ToList();
        var epcis = CommuneDirectory.PaysDeRennesEpcis.Keys.ToList();
        var now = DateTimeOffset.UtcNow;
        var suppressed = new List<string>();

        var actors = new TableClient(connectionString, prefix + ActorStore.TableName);
        await actors.CreateIfNotExistsAsync();
        var actorRows = Enumerable.Range(0, actorCount).Select(i =>
        {
            var id = ActorStore.NewId();
            var commune = random.Next(10) < 4 ? communes.First(c => c.InseeCode == Quartiers.RennesInseeCode) : communes[random.Next(communes.Count)];
            var kind = Kinds[random.Next(Kinds.Length)];
            var email = string.Create(CultureInfo.InvariantCulture, $"acteur{i}@structure{i % 97}.example");
            if (random.Next(20) == 0)
            {
                suppressed.Add(email);
            }

            return new ActorEntity
            {
                PartitionKey = ActorEntity.PartitionOf(id),
                RowKey = id,
                Name = $"Structure n° {i}",
                NameKey = $"structure n {i}",
                Kind = kind,
                Sectors = string.Join('\n', Enumerable.Range(0, 1 + random.Next(2)).Select(_ => sectors[random.Next(sectors.Count)]).Distinct()),
                CommuneInsee = commune.InseeCode,
                CommuneName = commune.Name,
                Epci = commune.EpciCode,
                Quartier = commune.InseeCode == Quartiers.RennesInseeCode ? Quartiers.All[random.Next(Quartiers.All.Count)].Code : null,
                Emails = email,
                EmailHash0 = hasher.HashOrNull(email),
                Tags = random.Next(4) == 0 ? "forum 2026" : null,
                Newsletter = random.Next(10) != 0,
                ConsentDate = ActorKinds.IsPerson(kind) && random.Next(2) == 0 ? "2026-03-14" : null,
                CreatedAt = now,
                CreatedBy = "banc d'essai",
                UpdatedAt = now,
                UpdatedBy = "banc d'essai",
            };
        }).ToList();
        await Parallel.ForEachAsync(actorRows.GroupBy(a => a.PartitionKey).SelectMany(g => g.Chunk(100)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (batch, ct) =>
            await actors.SubmitTransactionAsync(batch.Select(a => new TableTransactionAction(TableTransactionActionType.Add, a)), ct));

        var subscribers = new TableClient(connectionString, prefix + NewsletterStorage.Subscribers);
        await subscribers.CreateIfNotExistsAsync();
        var subscriberRows = Enumerable.Range(0, subscriberCount).Select(i =>
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"abonne{i}@exemple.fr");
            if (random.Next(20) == 0)
            {
                suppressed.Add(email);
            }

            return new SubscriberEntity
            {
                RowKey = hasher.HashOrNull(email)!,
                Email = email,
                Name = $"Abonné {i}",
                Status = random.Next(10) == 0 ? SubscriberStatus.Pending : SubscriberStatus.Confirmed,
                Territories = random.Next(10) < 4 ? "" : string.Join(',', epcis.Where(_ => random.Next(3) == 0).DefaultIfEmpty(epcis[0])),
                Sectors = random.Next(2) == 0 ? "" : string.Join(',', interests.Where(_ => random.Next(4) == 0)),
                CreatedAt = now,
                ConsentAt = now,
                ConsentTextVersion = "2026-01",
                ConsentSource = "newsletter",
            };
        }).ToList();
        foreach (var chunk in subscriberRows.Chunk(100))
        {
            await subscribers.SubmitTransactionAsync(chunk.Select(s => new TableTransactionAction(TableTransactionActionType.Add, s)));
        }

        var suppressions = new TableClient(connectionString, prefix + NewsletterStorage.Suppressions);
        await suppressions.CreateIfNotExistsAsync();
        foreach (var chunk in suppressed.Chunk(100))
        {
            await suppressions.SubmitTransactionAsync(chunk.Select(email => new TableTransactionAction(
                TableTransactionActionType.Add,
                new SuppressionEntity { RowKey = hasher.HashOrNull(email)!, Reason = "unsubscribe", Source = "lien", SuppressedAt = now })));
        }

        return suppressed.Count;
    }
}
