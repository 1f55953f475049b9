using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Benchmarks;

/// <summary>
/// The console's list pages against the staff JSON API that reads the same rows, through the local host and the
/// real worker, on 5,000 contact messages and 2,000 porteur intakes written straight into Azurite in batches:
/// <c>GET /api/equipe/messages</c> (the unhandled messages, first page of 50) beside
/// <c>GET /api/staff/inbox/messages?handled=false&amp;pageSize=50</c>, and <c>GET /api/equipe/porteurs</c> beside
/// <c>GET /api/staff/porteurs/cases?pageSize=50</c>. One client, sequential requests, page and API interleaved
/// request by request so both see the same machine; medians.
/// </summary>
public static class ConsoleListsBenchmark
{
    public static async Task<string> RunAsync(int messages, int cases, int requests)
    {
        using var quiet = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        await using var backend = await Backend.StartAsync(loggerFactory: quiet).ConfigureAwait(false);
        var seeding = Stopwatch.StartNew();
        await SeedMessagesAsync(backend, messages).ConfigureAwait(false);
        await SeedCasesAsync(backend, cases).ConfigureAwait(false);
        seeding.Stop();
        var client = backend.StaffClient;

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Seeded {messages} messages and {cases} porteur intakes in {seeding.Elapsed.TotalSeconds:F1} s.");
        report.AppendLine("| list | console page p50 (ms) | JSON API p50 (ms) | page / API | page p90 | API p90 |");
        report.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, page, api) in new[]
        {
            ("messages à traiter", "api/equipe/messages", "api/staff/inbox/messages?handled=false&pageSize=50"),
            ("porteurs de projet", "api/equipe/porteurs", "api/staff/porteurs/cases?pageSize=50"),
        })
        {
            // Warm-up: JIT, the worker's first render of the component, storage connections.
            for (var i = 0; i < 3; i++)
            {
                await TimeAsync(client, page).ConfigureAwait(false);
                await TimeAsync(client, api).ConfigureAwait(false);
            }

            var pageTimes = new List<double>();
            var apiTimes = new List<double>();
            for (var i = 0; i < requests; i++)
            {
                pageTimes.Add(await TimeAsync(client, page).ConfigureAwait(false));
                apiTimes.Add(await TimeAsync(client, api).ConfigureAwait(false));
            }

            var pageMedian = LoadGenerator.Median(pageTimes);
            var apiMedian = LoadGenerator.Median(apiTimes);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {pageMedian:F0} | {apiMedian:F0} | {pageMedian / apiMedian:F2} | {Percentile(pageTimes, 0.9):F0} | {Percentile(apiTimes, 0.9):F0} |");
        }

        return report.ToString();
    }

    private static double Percentile(List<double> values, double p) => LoadGenerator.Percentile([.. values.Order()], p);

    private static async Task<double> TimeAsync(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(path).ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        clock.Stop();
        return response.StatusCode == HttpStatusCode.OK
            ? clock.Elapsed.TotalMilliseconds
            : throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
    }

    private static async Task SeedMessagesAsync(Backend backend, int count)
    {
        string[] topics = ["information", "adhesion", "orientation-etudiant", "partenariat", "presse", "autre"];
        var start = DateTimeOffset.UtcNow.AddDays(-365);
        var rows = Enumerable.Range(1, count).Select(i => new ContactMessageEntity
        {
            PartitionKey = SubmissionLedger.Partition,
            RowKey = Reference("CT", i),
            Reference = Reference("CT", i),
            CreatedAt = start.AddMinutes(i * 100),
            Name = $"Personne {i}",
            Email = $"personne{i}@exemple.fr",
            EmailHash = $"hash{i:D6}",
            Organisation = i % 3 == 0 ? $"Association {i}" : null,
            Topic = topics[i % topics.Length],
            Message = $"Bonjour, ceci est le message numéro {i}, assez long pour ressembler à un vrai message reçu par le site.",
            ConsentTextVersion = "v1",
            ConsentAt = start,
            MailsQueued = true,
        });
        await InsertAsync(backend.Table(ContactForm.TableName), rows).ConfigureAwait(false);
    }

    private static async Task SeedCasesAsync(Backend backend, int count)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-700);
        string[] sectors = ["mobilite", "alimentation", "culture", "numerique", "habitat"];
        var rows = Enumerable.Range(1, count).Select(i => new PorteurEntity
        {
            PartitionKey = SubmissionLedger.Partition,
            RowKey = Reference("PP", i),
            Reference = Reference("PP", i),
            CreatedAt = start.AddMinutes(i * 500),
            FirstName = "Prénom",
            LastName = $"Porteur {i}",
            Email = $"porteur{i}@exemple.fr",
            EmailHash = $"hash{i:D6}",
            Phone = "+33612345678",
            CommuneInsee = "35238",
            CommuneName = "Rennes",
            PostalCode = "35000",
            EpciCode = "243500139",
            InPaysDeRennes = true,
            ProjectTitle = $"Projet {i}",
            ProjectDescription = "Un projet de l'économie sociale et solidaire, décrit en quelques phrases.",
            Sector = sectors[i % sectors.Length],
            Stage = "idee",
            LegalStatus = "association",
            Needs = "financement,local",
            ConsentTextVersion = "v1",
            ConsentAt = start,
            MailsQueued = true,
        });
        await InsertAsync(backend.Table(PorteurForm.TableName), rows).ConfigureAwait(false);
    }

    private static string Reference(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-2026-{i:D5}");

    private static async Task InsertAsync<T>(TableClient table, IEnumerable<T> rows)
        where T : class, ITableEntity
    {
        await table.CreateIfNotExistsAsync().ConfigureAwait(false);
        foreach (var batch in rows.Chunk(100))
        {
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r))).ConfigureAwait(false);
        }
    }
}
