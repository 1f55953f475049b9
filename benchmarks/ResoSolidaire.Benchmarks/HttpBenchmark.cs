using System.Globalization;
using System.Net;
using ResoSolidaire.LocalHost;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Benchmarks;

/// <summary>
/// A trivial function through the local host and its worker, against the same handler in a plain
/// ASP.NET Core app, at 1 and 16 concurrent, rounds interleaved so that both see the same machine.
/// </summary>
public static class HttpBenchmark
{
    public static async Task<string> RunAsync(int rounds, TimeSpan duration)
    {
        var appDir = RepoPaths.Combine("tests", "LocalHost.TestApp", "bin", Configuration, "net10.0");
        using var quiet = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        await using var host = await FunctionsHost.StartAsync(
            new LocalHostOptions
            {
                AppDirectory = appDir,
                HttpPort = 0,
                EnableTimers = false,
                SettingOverrides = new Dictionary<string, string?> { ["TestTimerSchedule"] = "0 0 0 1 1 *" },
            },
            quiet).ConfigureAwait(false);
        await using var plain = await StartPlainAppAsync().ConfigureAwait(false);
        var hostUrl = new Uri(host.BaseAddress, "api/Ping");
        var plainUrl = new Uri(plain.Urls.Select(u => new Uri(u)).First(), "api/Ping");

        var results = new Dictionary<(string, int), List<LoadResult>>();
        foreach (var concurrency in new[] { 1, 16 })
        {
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, url) in new[] { ("host", hostUrl), ("plain", plainUrl) })
                {
                    var result = await LoadGenerator.RunAsync(
                        async (client, _) =>
                        {
                            using var response = await client.GetAsync(url).ConfigureAwait(false);
                            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                            return response.StatusCode == HttpStatusCode.OK;
                        },
                        concurrency, duration, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    if (!results.TryGetValue((name, concurrency), out var list))
                    {
                        results[(name, concurrency)] = list = [];
                    }

                    list.Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-6} c={concurrency,-3} round {round + 1}: {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms,6:0.00} ms  p99 {result.P99Ms,6:0.00} ms  errors {result.Errors}"));
                }
            }
        }

        var table = new System.Text.StringBuilder();
        table.AppendLine("| concurrency | local host req/s | plain ASP.NET Core req/s | ratio | host p50 / p99 (ms) | plain p50 / p99 (ms) |");
        table.AppendLine("|---|---|---|---|---|---|");
        foreach (var concurrency in new[] { 1, 16 })
        {
            var h = results[("host", concurrency)];
            var p = results[("plain", concurrency)];
            var hostRate = LoadGenerator.Median(h.Select(r => r.RequestsPerSecond));
            var plainRate = LoadGenerator.Median(p.Select(r => r.RequestsPerSecond));
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {hostRate:0} | {plainRate:0} | {hostRate / plainRate:0.00} | {LoadGenerator.Median(h.Select(r => r.P50Ms)):0.00} / {LoadGenerator.Median(h.Select(r => r.P99Ms)):0.00} | {LoadGenerator.Median(p.Select(r => r.P50Ms)):0.00} / {LoadGenerator.Median(p.Select(r => r.P99Ms)):0.00} |"));
        }

        return table.ToString();
    }

    internal static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static async Task<WebApplication> StartPlainAppAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/api/Ping", () => TypedResults.Ok("pong"));
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }
}
