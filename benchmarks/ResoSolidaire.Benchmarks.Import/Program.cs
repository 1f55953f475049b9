using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ResoSolidaire.Benchmarks.Import;
using ResoSolidaire.Testing;

// The directory import against plain batch inserts, in the same run and the same Azurite:
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks.Import -- [rows] [runs]
// The console's import wizard and directory list (WizardBenchmark.cs):
//   dotnet run -c Release --project benchmarks/ResoSolidaire.Benchmarks.Import -- wizard [rows] [runs]
// Each run starts a fresh backend (Azurite in memory, the local host running the real app), imports a
// generated staff spreadsheet of [rows] new actors through POST /api/staff/directory/import, and inserts
// the same number of equivalent entities straight into a table of the same Azurite, in batch transactions
// of 100 per partition with the same parallelism as the import (8). Figures: medians over the runs.
if (args.Length > 0 && args[0] == "wizard")
{
    return await WizardBenchmark.RunAsync(args[1..]);
}

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;

var csv = ImportData.Spreadsheet(rows);
using var quiet = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
var imports = new List<double>();
var inserts = new List<double>();
var dryRuns = new List<double>();
for (var run = 1; run <= runs; run++)
{
    await using var backend = await Backend.StartAsync(loggerFactory: quiet);

    var insert = await ImportData.BaselineAsync(backend.Tables.GetTableClient(AzuriteServer.UniquePrefix() + "Baseline"), rows);
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

var importMedian = ImportData.Median(imports);
var insertMedian = ImportData.Median(inserts);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

| {rows:N0} rows, {runs} runs, {Environment.ProcessorCount} cores | median time | median rate |
|---|---|---|
| import through the app (parse, validate, match, write) | {importMedian:0.00} s | {rows / importMedian:0} rows/s |
| batch inserts straight into Azurite | {insertMedian:0.00} s | {rows / insertMedian:0} entities/s |
| **ratio** (import rate / insert rate) | **{insertMedian / importMedian:0.00}** | target >= 0.5 |
"""));
return 0;

