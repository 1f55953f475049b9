using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Benchmarks.Import;

/// <summary>
/// The console's import wizard and directory list, each beside a raw baseline in the same run and the same Azurite.
/// Each run starts a fresh backend, then: (1) batch inserts of as many entities shaped like actors into a table of
/// their own (the import benchmark's baseline); (2) the wizard, as a browser drives it, with an administrator's
/// development token: upload of a Windows-1252 spreadsheet of [rows] new actors, its columns, then « Vérifier »
/// (the dry run: everything but the writes, its report kept) and « Importer » until the import is done, its progress
/// page fetched every second as htmx does (the end is seen on the import's state, read every 50 ms from storage); (3) the directory list over the [rows] actors now stored, filtered by EPCI and
/// sector with a text search (GET /api/equipe/annuaire, the whole page rendered), against a raw scan of the table
/// with the same storage filter and the same tests on the rows, in the benchmark's process, alternating.
/// </summary>
internal static class WizardBenchmark
{
    private const string ListQuery = "epci=243500139&sector=culture&q=numero+12";

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        const int listRounds = 15;
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var sheet = ImportData.Spreadsheet(rows, varied: true, encoding: Encoding.GetEncoding(1252));

        using var quiet = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        var (inserts, dryRuns, imports, lists, scans) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var matching = 0;
        for (var run = 1; run <= runs; run++)
        {
            await using var backend = await Backend.StartAsync(loggerFactory: quiet);
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = backend.Host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Backend.AdministrationToken);

            inserts.Add((await ImportData.BaselineAsync(backend.Tables.GetTableClient(AzuriteServer.UniquePrefix() + "Baseline"), rows)).TotalSeconds);

            var id = await UploadAsync(client, sheet);
            await PostAsync(client, $"api/equipe/annuaire/import/{id}/colonnes", ColumnsOfTheSheet());
            var dryClock = Stopwatch.StartNew();
            await PostAsync(client, $"api/equipe/annuaire/import/{id}/valeurs", []);
            dryRuns.Add(dryClock.Elapsed.TotalSeconds);

            var state = backend.Container("annuaire-imports").GetBlobClient($"{id}/etat.json");
            var clock = Stopwatch.StartNew();
            await PostAsync(client, $"api/equipe/annuaire/import/{id}/importer", []);
            imports.Add((await WaitForTheReportAsync(client, state, id, rows, clock)).TotalSeconds);

            // The list: warm up both sides, then alternate.
            var table = backend.Table("Actors");
            for (var i = 0; i < 3; i++)
            {
                await ListAsync(client);
                await RawScanAsync(table);
            }

            var (listTimes, scanTimes) = (new List<double>(), new List<double>());
            for (var i = 0; i < listRounds; i++)
            {
                var first = i % 2 == 0;
                if (first)
                {
                    listTimes.Add(await TimeAsync(() => ListAsync(client)));
                }

                var scan = Stopwatch.StartNew();
                matching = await RawScanAsync(table);
                scanTimes.Add(scan.Elapsed.TotalMilliseconds);
                if (!first)
                {
                    listTimes.Add(await TimeAsync(() => ListAsync(client)));
                }
            }

            lists.Add(ImportData.Median(listTimes));
            scans.Add(ImportData.Median(scanTimes));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}: inserts {inserts[^1]:0.00} s, wizard dry run {dryRuns[^1]:0.00} s, wizard import {imports[^1]:0.00} s ({rows / imports[^1]:0} rows/s); list {lists[^1]:0} ms, raw scan {scans[^1]:0} ms ({matching} matching)"));
        }

        var (insert, dry, import, list, scanMedian) = (ImportData.Median(inserts), ImportData.Median(dryRuns), ImportData.Median(imports), ImportData.Median(lists), ImportData.Median(scans));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

| {rows:N0} rows, {runs} runs, {Environment.ProcessorCount} cores | median | rate or ratio |
|---|---|---|
| batch inserts straight into Azurite (baseline) | {insert:0.00} s | {rows / insert:0} entities/s |
| wizard: dry run (« Vérifier l'import ») | {dry:0.00} s | {rows / dry:0} rows/s |
| wizard: import (« Importer » to the report) | {import:0.00} s | {rows / import:0} rows/s |
| **wizard import rate / insert rate** | | **{insert / import:0.00}** (target >= 0.5) |
| directory list, {ListQuery} ({matching} of {rows:N0}), page rendered | {list:0} ms | |
| raw scan, same storage filter and tests, in-process | {scanMedian:0} ms | |
| **list / raw scan** | | **{list / scanMedian:0.00}x** (target <= 1.5x) |
"""));
        return 0;
    }

    /// <summary>The wizard's first step: the file, sent as the upload form sends it; returns the import's id from the redirect.</summary>
    private static async Task<string> UploadAsync(HttpClient client, byte[] sheet)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(sheet);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "fichier", "acteurs.csv");
        using var response = await client.PostAsync(new Uri("api/equipe/annuaire/import", UriKind.Relative), form);
        var location = response.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"The upload answered {(int)response.StatusCode}.");
        return location.Split('/')[^2];
    }

    /// <summary>Posts a wizard's form (with its token field, which a bearer caller leaves empty) and expects the redirect to the next step.</summary>
    private static async Task PostAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        using var content = new FormUrlEncodedContent(fields.Append(new("jeton", "")));
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            var alert = page.IndexOf("role=\"alert\"", StringComparison.Ordinal);
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {(alert < 0 ? page[..Math.Min(3000, page.Length)] : page.Substring(alert, Math.Min(600, page.Length - alert)))}");
        }
    }

    /// <summary>The columns of the generated sheet, as the wizard's columns page would send them once checked.</summary>
    private static Dictionary<string, string> ColumnsOfTheSheet()
    {
        string[] fields = ["Name", "Kind", "LegalStatus", "Siret", "Sectors", "Commune", "PostalCode", "Address", "Emails", "Phones", "Tags", "Newsletter"];
        return fields.Select((f, i) => (f, i)).ToDictionary(p => $"colonne-{p.i}", p => p.f);
    }

    /// <summary>
    /// Follows the progress page as htmx does (every second), and the import's state in storage every 50 ms (which
    /// costs the worker nothing) to see the end as it happens; then checks the report says every row is created.
    /// Returns the time on <paramref name="clock"/> (started before « Importer ») when the import was seen done.
    /// </summary>
    private static async Task<TimeSpan> WaitForTheReportAsync(HttpClient client, BlobClient state, string id, int rows, Stopwatch clock)
    {
        var lastPage = TimeSpan.MinValue;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (lastPage == TimeSpan.MinValue || clock.Elapsed - lastPage >= TimeSpan.FromSeconds(1))
            {
                lastPage = clock.Elapsed;
                using var poll = await client.GetAsync(new Uri($"api/equipe/annuaire/import/{id}/progression", UriKind.Relative));
            }

            var step = JsonNode.Parse((await state.DownloadContentAsync()).Value.Content.ToString())!["step"]!.GetValue<string>();
            if (step == "termine")
            {
                var ended = clock.Elapsed;
                var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri($"api/equipe/annuaire/import/{id}/progression", UriKind.Relative)));
                var created = rows.ToString("N0", CultureInfo.GetCultureInfo("fr-FR"));
                if (!page.Contains($"<strong>{created}</strong> créées", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("The import ended without creating every row.");
                }

                return ended;
            }

            if (step == "interrompu")
            {
                throw new InvalidOperationException("The import was interrupted.");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The import did not end within 5 minutes.");
    }

    private static async Task ListAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("api/equipe/annuaire?" + ListQuery, UriKind.Relative));
        _ = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The list answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>The floor: the rows of the same storage filter as the SDK gives them, with the sector and name tests the list applies.</summary>
    private static async Task<int> RawScanAsync(TableClient table)
    {
        var matching = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Epci eq {"243500139"}"), maxPerPage: 1000))
        {
            if ((row.GetString("Sectors") ?? "").Split('\n').Contains("culture") && (row.GetString("NameKey") ?? "").Contains("numero 12", StringComparison.Ordinal))
            {
                matching++;
            }
        }

        return matching;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }
}
