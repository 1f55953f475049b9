using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ResoSolidaire.Testing;

// The directory import against plain batch inserts, in the same run and the same Azurite:
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks.Import -- [rows] [runs]
// Each run starts a fresh backend (Azurite in memory, the local host running the real app), imports a
// generated staff spreadsheet of [rows] new actors through POST /api/staff/directory/import, and inserts
// the same number of equivalent entities straight into a table of the same Azurite, in batch transactions
// of 100 per partition with the same parallelism as the import (8). Figures: medians over the runs.
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
const int Parallelism = 8;

var csv = Spreadsheet(rows);
using var quiet = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
var imports = new List<double>();
var inserts = new List<double>();
var dryRuns = new List<double>();
for (var run = 1; run <= runs; run++)
{
    await using var backend = await Backend.StartAsync(loggerFactory: quiet);

    var insert = await BaselineAsync(backend.Tables.GetTableClient(AzuriteServer.UniquePrefix() + "Baseline"), rows);
    inserts.Add(insert.TotalSeconds);

    using var dryContent = new ByteArrayContent(csv);
    dryContent.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
    var dryClock = Stopwatch.StartNew();
    using var dry = await backend.StaffClient.PostAsync(new Uri("api/staff/directory/import?dryRun=true", UriKind.Relative), dryContent);
    _ = await dry.Content.ReadAsStringAsync();
    dryRuns.Add(dryClock.Elapsed.TotalSeconds);

    using var content = new ByteArrayContent(csv);
    content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
    var clock = Stopwatch.StartNew();
    using var response = await backend.StaffClient.PostAsync(new Uri("api/staff/directory/import", UriKind.Relative), content);
    var body = await response.Content.ReadAsStringAsync();
    clock.Stop();
    var created = response.IsSuccessStatusCode ? JsonNode.Parse(body)!["summary"]!["created"]!.GetValue<int>() : -1;
    if (created != rows)
    {
        Console.Error.WriteLine($"Run {run}: the import answered {(int)response.StatusCode} with {created} created.");
        return 1;
    }

    imports.Add(clock.Elapsed.TotalSeconds);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}: import {clock.Elapsed.TotalSeconds:0.00} s ({rows / clock.Elapsed.TotalSeconds:0} rows/s), batch inserts {insert.TotalSeconds:0.00} s ({rows / insert.TotalSeconds:0} entities/s), dry run {dryRuns[^1]:0.00} s"));
}

var importMedian = Median(imports);
var insertMedian = Median(inserts);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

| {rows:N0} rows, {runs} runs, {Environment.ProcessorCount} cores | median time | median rate |
|---|---|---|
| import through the app (parse, validate, match, write) | {importMedian:0.00} s | {rows / importMedian:0} rows/s |
| batch inserts straight into Azurite | {insertMedian:0.00} s | {rows / insertMedian:0} entities/s |
| **ratio** (import rate / insert rate) | **{insertMedian / importMedian:0.00}** | target >= 0.5 |
"""));
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// Entities shaped like the import's (16 partitions by the first hex digit of a random id, same properties).
static async Task<TimeSpan> BaselineAsync(TableClient table, int count)
{
    await table.CreateIfNotExistsAsync();
    var now = DateTimeOffset.UtcNow;
    var entities = Enumerable.Range(0, count).Select(i =>
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return new TableEntity(id[..1], id)
        {
            ["Name"] = $"Association numéro {i}",
            ["NameKey"] = $"association numero {i}",
            ["Kind"] = "association",
            ["LegalStatus"] = "Association loi 1901",
            ["LegalStatusKey"] = "association loi 1901",
            ["Siret"] = Siret(i),
            ["Sectors"] = "culture\nsante-social",
            ["CommuneInsee"] = "35238",
            ["CommuneName"] = "Rennes",
            ["Epci"] = "243500139",
            ["PostalCode"] = "35000",
            ["Address"] = $"{i} rue de la République",
            ["Emails"] = $"contact{i}@asso.example",
            ["Phones"] = "02 99 00 00 00",
            ["Tags"] = "forum\nbenchmark",
            ["TagKeys"] = "forum\nbenchmark",
            ["Newsletter"] = true,
            ["CreatedAt"] = now,
            ["CreatedBy"] = "benchmark",
            ["UpdatedAt"] = now,
            ["UpdatedBy"] = "benchmark",
        };
    }).ToList();
    var batches = entities.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100)).ToList();
    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (batch, ct) =>
        await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct));
    return clock.Elapsed;
}

static byte[] Spreadsheet(int count)
{
    string[] communes = ["Rennes;35000", "Cesson-Sévigné;35510", "Bruz;35170", "Liffré;35340", "Châteaugiron;35410", "Melesse;35520", "Pacé;35740", "La Bouëxière;35340"];
    var text = new StringBuilder("Nom;Type;Statut juridique;SIRET;Secteurs;Commune;Code postal;Adresse;E-mail;Téléphone;Mots-clés;Newsletter\r\n");
    for (var i = 0; i < count; i++)
    {
        text.Append(CultureInfo.InvariantCulture, $"Association numéro {i};Association;Association loi 1901;{Siret(i)};Culture, loisirs|Santé;{communes[i % communes.Length]};{i} rue de la République;contact{i}@asso.example;02 99 00 00 00;forum, benchmark;oui\r\n");
    }

    return Encoding.GetEncoding("utf-8").GetBytes(text.ToString());
}

// A made-up SIRET with a valid Luhn key: 13 digits from the row number, then the key.
static string Siret(int i)
{
    var body = (1_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
    for (var key = 0; key < 10; key++)
    {
        var candidate = body + key.ToString(CultureInfo.InvariantCulture);
        var sum = 0;
        for (var d = 0; d < 14; d++)
        {
            var digit = candidate[13 - d] - '0';
            if (d % 2 == 1)
            {
                digit = digit * 2 > 9 ? (digit * 2) - 9 : digit * 2;
            }

            sum += digit;
        }

        if (sum % 10 == 0)
        {
            return candidate;
        }
    }

    throw new InvalidOperationException("No Luhn key.");
}
