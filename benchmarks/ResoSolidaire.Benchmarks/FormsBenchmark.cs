using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ResoSolidaire.Functions;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Benchmarks;

/// <summary>
/// POST /api/contact through the local host and the real worker, against the same submissions made
/// in-process by the app's own ContactService (the same storage calls and the same mail calls, straight
/// to Azurite and the sink, with no host, worker or HTTP in front), rounds interleaved. Every request is
/// a distinct message from a distinct client, so neither the rate limit nor duplicate detection cuts
/// it short. Storage round trips are counted on the in-process path.
/// </summary>
public static class FormsBenchmark
{
    // The load generator numbers requests from 0 in every loop (warm-up included): this number never repeats.
    private static int s_unique;

    public static async Task<string> RunAsync(int rounds, TimeSpan duration, int concurrency = 16)
    {
        using var quiet = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        await using var backend = await Backend.StartAsync(
            // Each request is a client of its own: the benchmark plays the front end (two trusted hops).
            new BackendOptions { Settings = { ["Forms__RateLimitPermits"] = "10000", ["Forms__TrustedProxyHops"] = "2" } },
            quiet).ConfigureAwait(false);
        var counter = new RoundTripCounter();
        await using var direct = DirectServices(backend, counter);
        var service = direct.GetRequiredService<ContactService>();
        var run = Guid.NewGuid().ToString("N")[..8];

        var results = new Dictionary<string, List<LoadResult>> { ["host"] = [], ["direct"] = [] };
        for (var round = 0; round < rounds; round++)
        {
            var host = await LoadGenerator.RunAsync(
                async (client, _) =>
                {
                    var n = Interlocked.Increment(ref s_unique);
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(backend.Host.BaseAddress, "api/contact"))
                    {
                        Content = new StringContent(Message(run, "h", round, n), Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Add("X-Forwarded-For", Client(n));
                    using var response = await client.SendAsync(request).ConfigureAwait(false);
                    await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    return response.StatusCode == HttpStatusCode.Created;
                },
                concurrency, duration, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            Report("host", round, host);
            results["host"].Add(host);

            counter.Reset();
            var inProcess = await LoadGenerator.RunAsync(
                async (_, _) =>
                {
                    var n = Interlocked.Increment(ref s_unique);
                    var result = await service.SubmitAsync(Request(direct, Message(run, "d", round, n), Client(n)), CancellationToken.None).ConfigureAwait(false);
                    return result.Receipt is not null;
                },
                concurrency, duration, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            Report("direct", round, inProcess);
            results["direct"].Add(inProcess);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  storage round trips per submission (in-process, warm-up included): {counter.PerSubmission:0.00}"));
        }

        var hostRate = LoadGenerator.Median(results["host"].Select(r => r.RequestsPerSecond));
        var directRate = LoadGenerator.Median(results["direct"].Select(r => r.RequestsPerSecond));
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| POST /api/contact, c={concurrency} | req/s | p50 (ms) | p99 (ms) | errors |");
        table.AppendLine("|---|---|---|---|---|");
        foreach (var (name, label) in new[] { ("host", "through the local host and worker"), ("direct", "same calls in-process, straight to Azurite and the sink") })
        {
            var list = results[name];
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {LoadGenerator.Median(list.Select(r => r.RequestsPerSecond)):0} | {LoadGenerator.Median(list.Select(r => r.P50Ms)):0.0} | {LoadGenerator.Median(list.Select(r => r.P99Ms)):0.0} | {list.Sum(r => r.Errors)} |");
        }

        table.AppendLine();
        table.AppendLine(CultureInfo.InvariantCulture, $"Ratio host / direct: {hostRate / directRate:0.00} (target at least 0.8). Storage round trips per submission: {counter.PerSubmission:0.0}. Medians of {rounds} rounds of {duration.TotalSeconds:0} s.");
        return table.ToString();
    }

    private static string Client(int n) =>
        string.Create(CultureInfo.InvariantCulture, $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}");

    private static string Message(string run, string path, int round, int n) => JsonSerializer.Serialize(new
    {
        name = "Camille Martin",
        email = string.Create(CultureInfo.InvariantCulture, $"bench-{run}-{path}{round}-{n}@exemple.fr"),
        topic = "information",
        message = string.Create(CultureInfo.InvariantCulture, $"Message de mesure {run} {path} {round} {n} : quels sont vos horaires ?"),
        consent = true,
    });

    private static HttpRequest Request(IServiceProvider services, string json, string client)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers["X-Forwarded-For"] = client;
        return context.Request;
    }

    /// <summary>The app's services as the worker builds them, on the backend's Azurite and sink, with a counted table client.</summary>
    private static ServiceProvider DirectServices(Backend backend, RoundTripCounter counter)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in LocalSettingsValues())
        {
            values[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        values["Storage:ConnectionString"] = backend.Azurite.ConnectionString;
        values["Storage:NamePrefix"] = AzuriteServer.UniquePrefix();
        values["SendGrid:Host"] = backend.Mail.BaseAddress.ToString().TrimEnd('/');
        values["Forms:RateLimitPermits"] = "10000";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddResoSolidaireServices(configuration);
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        services.Replace(ServiceDescriptor.Singleton(new TableServiceClient(backend.Azurite.ConnectionString, options)));
        return services.BuildServiceProvider();
    }

    private static IEnumerable<(string Name, string? Value)> LocalSettingsValues()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")));
        foreach (var value in document.RootElement.GetProperty("Values").EnumerateObject())
        {
            yield return (value.Name, value.Value.GetString());
        }
    }

    private static void Report(string name, int round, LoadResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-6} c={result.Concurrency,-3} round {round + 1}: {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms,6:0.00} ms  p99 {result.P99Ms,6:0.00} ms  errors {result.Errors}"));

    /// <summary>Counts calls to Table storage (SDK retries not included) and the submissions (one batch transaction each).</summary>
    private sealed class RoundTripCounter : HttpPipelineSynchronousPolicy
    {
        private long _requests;
        private long _submissions;

        public double PerSubmission => Interlocked.Read(ref _submissions) == 0 ? double.NaN : (double)Interlocked.Read(ref _requests) / Interlocked.Read(ref _submissions);

        public void Reset()
        {
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _submissions, 0);
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref _requests);
            if (message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _submissions);
            }
        }
    }
}
