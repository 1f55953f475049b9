using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResoSolidaire.Functions;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Exports;
using ResoSolidaire.Functions.Platform.Exports;
using ResoSolidaire.Testing;

// Export of the directory as CSV for French Excel against a raw scan of the same table written with the same
// CSV writer (CsvHelper, same options), in the same run, on Azurite. Memory: each export runs again in a
// child process of its own (the export service in-process, nothing else), which reports its peak working set.
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks.Export -- [rows=100000] [rounds=3]
if (args.Length > 0 && args[0] == "child")
{
    return await Child.RunAsync(args[1], args[2]);
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var rows = Arg(0, 100_000);
var rounds = Arg(1, 3);
var azurite = await AzuriteServer.SharedAsync();
var small = AzuriteServer.UniquePrefix();
var large = AzuriteServer.UniquePrefix();
Console.WriteLine($"Seeding {rows / 10:N0} and {rows:N0} actors into Azurite...");
await Seed.ActorsAsync(azurite.ConnectionString, small, rows / 10);
await Seed.ActorsAsync(azurite.ConnectionString, large, rows);

using var services = Child.Services(azurite.ConnectionString, large);
var export = new List<double>();
var raw = new List<double>();
long exported = 0, scanned = 0;
for (var round = 0; round <= rounds; round++)
{
    // Round 0 warms both paths up (JIT, connections); the others alternate which goes first.
    double exportSeconds = 0, rawSeconds = 0;
    for (var leg = 0; leg < 2; leg++)
    {
        var clock = Stopwatch.StartNew();
        if ((leg + round) % 2 == 0)
        {
            exported = await Child.ExportAsync(services, Stream.Null);
            exportSeconds = clock.Elapsed.TotalSeconds;
        }
        else
        {
            scanned = await Child.RawAsync(azurite.ConnectionString, large, Stream.Null);
            rawSeconds = clock.Elapsed.TotalSeconds;
        }
    }

    if (round > 0)
    {
        export.Add(exportSeconds);
        raw.Add(rawSeconds);
        Console.WriteLine($"round {round}: export {exportSeconds:F2} s, raw scan {rawSeconds:F2} s ({exportSeconds / rawSeconds:F2}x)");
    }
}

double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var smallPeak = await Child.PeakAsync(azurite.ConnectionString, small);
var largePeak = await Child.PeakAsync(azurite.ConnectionString, large);
Console.WriteLine();
Console.WriteLine($"| rows | export (median of {rounds}) | raw scan, same CSV writer | ratio | rows/s (export) |");
Console.WriteLine("|---:|---:|---:|---:|---:|");
Console.WriteLine($"| {exported:N0} | {Median(export):F2} s | {Median(raw):F2} s | {Median(export) / Median(raw):F2}x | {exported / Median(export):N0} |");
Console.WriteLine();
Console.WriteLine("| rows exported (child process) | peak working set | managed heap after |");
Console.WriteLine("|---:|---:|---:|");
Console.WriteLine($"| {smallPeak.Rows:N0} | {smallPeak.PeakMb:F0} MB | {smallPeak.HeapMb:F0} MB |");
Console.WriteLine($"| {largePeak.Rows:N0} | {largePeak.PeakMb:F0} MB | {largePeak.HeapMb:F0} MB |");
Console.WriteLine($"growth 10x rows: {(largePeak.PeakMb / smallPeak.PeakMb - 1) * 100:F0}% (scanned {scanned:N0} raw rows)");
return 0;

internal sealed record Peak(long Rows, double PeakMb, double HeapMb);

internal static class Child
{
    public static ServiceProvider Services(string connectionString, string prefix)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:NamePrefix"] = prefix,

            // The directory's store hashes addresses with the app's keyed hash, whose key the app requires.
            ["Privacy:EmailHashKey"] = "benchmark-only-email-hash-key-not-a-secret-0123456789",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddResoSolidaireServices(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>The export as the endpoint runs it: the actors dataset, no filter, CSV for French Excel.</summary>
    public static async Task<long> ExportAsync(IServiceProvider services, Stream output)
    {
        var dataset = new ResoSolidaire.Functions.Directory.ActorsExport(services.GetRequiredService<ActorStore>(), services.GetRequiredService<ResoSolidaire.Functions.Directory.Vocabularies.VocabularyStore>());
        var plan = await dataset.PlanAsync(new QueryCollection(), new DateRange(null, null), [], default);
        return await ExportService.WriteAsync(dataset, plan, ExportFormat.Excel, output, default);
    }

    /// <summary>The floor: every row of the table as the SDK gives it, each property written as text by the same writer.</summary>
    public static async Task<long> RawAsync(string connectionString, string prefix, Stream output)
    {
        var table = new TableClient(connectionString, prefix + ActorStore.TableName);
        await using var csv = CsvWriter.Create(output, CsvWriterOptions.Default with { Separator = ';', WriteByteOrderMark = true }, leaveOpen: true);
        long count = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(maxPerPage: 1000).AsPages())
        {
            foreach (var entity in page.Values)
            {
                foreach (var (_, value) in entity)
                {
                    csv.WriteField(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                }

                csv.EndRecord();
                count++;
            }

            await csv.FlushAsync();
        }

        return count;
    }

    public static async Task<int> RunAsync(string connectionString, string prefix)
    {
        using var services = Services(connectionString, prefix);
        var rows = await ExportAsync(services, Stream.Null);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} {self.PeakWorkingSet64} {GC.GetTotalMemory(false)}"));
        return 0;
    }

    public static async Task<Peak> PeakAsync(string connectionString, string prefix)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        var entry = typeof(Child).Assembly.Location;
        if (Path.GetFileName(Environment.ProcessPath!) is "dotnet" or "dotnet.exe")
        {
            start.ArgumentList.Add(entry);
        }

        foreach (var arg in new[] { "child", connectionString, prefix })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var parts = output.Trim().Split('\n')[^1].Split(' ');
        return new Peak(long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture) / 1048576.0, long.Parse(parts[2], CultureInfo.InvariantCulture) / 1048576.0);
    }
}

internal static class Seed
{
    /// <summary>Actors like the directory's: 16 partitions, batches of 100, a few fields with accents.</summary>
    public static async Task ActorsAsync(string connectionString, string prefix, int count)
    {
        var table = new TableClient(connectionString, prefix + ActorStore.TableName);
        await table.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        var actors = Enumerable.Range(0, count).Select(i =>
        {
            var id = ActorStore.NewId();
            return new ActorEntity
            {
                PartitionKey = ActorEntity.PartitionOf(id),
                RowKey = id,
                Name = $"Association Élan solidaire n° {i}",
                NameKey = $"association elan solidaire n {i}",
                Kind = "association",
                LegalStatus = "Association loi 1901",
                Sectors = "culture\nsante-social",
                CommuneInsee = "35238",
                CommuneName = "Rennes",
                Epci = "243500139",
                Quartier = "le-blosne",
                Address = $"{i % 200} rue de Bourgogne",
                PostalCode = "35200",
                Emails = $"contact-{i}@asso.example",
                Phones = "+33299000001",
                Website = "https://asso.example",
                Tags = "forum 2026\nbénévolat",
                TagKeys = "forum 2026\nbenevolat",
                Notes = "Rencontrée au forum ; à rappeler à la rentrée.",
                CreatedAt = now,
                CreatedBy = "import",
                UpdatedAt = now,
                UpdatedBy = "import",
            };
        });
        var batches = actors.GroupBy(a => a.PartitionKey).SelectMany(g => g.Chunk(100)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(a => new TableTransactionAction(TableTransactionActionType.Add, a)), ct));
    }
}
