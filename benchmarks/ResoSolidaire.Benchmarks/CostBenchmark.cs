using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ResoSolidaire.Functions;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Benchmarks;

/// <summary>
/// The counts behind docs/cost.md, measured on the local run: the whole backend (local host, real worker,
/// Azurite, mail sink) with a counting proxy between the app and Azurite, so that every storage request the
/// app makes is seen, whichever function makes it. For each step (a timer pass, a form submission, a staff
/// read, a newsletter dispatch) it reports the storage requests by kind and the log records the worker wrote.
/// Each step runs twice: the first on a worker that has not touched those tables yet (a cold instance in
/// Azure creates its tables once), the second warm.
/// </summary>
public static class CostBenchmark
{
    private static readonly string[] _timers = ["RetryOutbox", "SweepFormMails", "DispatchNewsletter", "PurgeExpiredPersonalData", "DraftMonthlyNewsletter"];

    public static async Task<string> RunAsync(int audience)
    {
        var logs = new LogCounter();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(logs));
        // Owned by the backend, which stops it.
        var azurite = await AzuriteServer.StartAsync().ConfigureAwait(false);
        var (tableEndpoint, blobEndpoint) = (Endpoint(azurite, "TableEndpoint"), Endpoint(azurite, "BlobEndpoint"));
        await using var tableProxy = await CountingStorageProxy.StartAsync(new Uri(tableEndpoint)).ConfigureAwait(false);
        await using var blobProxy = await CountingStorageProxy.StartAsync(new Uri(blobEndpoint)).ConfigureAwait(false);
        var proxied = azurite.ConnectionString
            .Replace(tableEndpoint, tableProxy.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace(blobEndpoint, blobProxy.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal);
        await using var backend = await Backend.StartAsync(
            new BackendOptions { Azurite = azurite, Settings = { ["Storage__ConnectionString"] = proxied, ["AzureWebJobsStorage"] = proxied } },
            loggerFactory).ConfigureAwait(false);
        await using var direct = DirectServices(azurite, backend.NamePrefix);

        var steps = new List<Step>();
        async Task MeasureAsync(string name, Func<Task> action)
        {
            await QuietAsync(tableProxy, blobProxy).ConfigureAwait(false);
            tableProxy.Reset();
            blobProxy.Reset();
            logs.Reset();
            await action().ConfigureAwait(false);
            await logs.ExecutedAsync().ConfigureAwait(false);
            await QuietAsync(tableProxy, blobProxy).ConfigureAwait(false);
            var step = new Step(name, tableProxy.Snapshot(), blobProxy.Snapshot(), logs.Snapshot());
            steps.Add(step);
            Console.WriteLine(Row(step));
        }

        foreach (var pass in new[] { "first", "again" })
        {
            foreach (var timer in _timers)
            {
                await MeasureAsync($"timer {timer}, idle ({pass})", () => backend.RunFunctionAsync(timer)).ConfigureAwait(false);
            }
        }

        var n = 0;
        foreach (var pass in new[] { "first", "again" })
        {
            await MeasureAsync($"POST /api/contact ({pass})", () => PostAsync(backend, "api/contact", ContactJson(++n), n)).ConfigureAwait(false);
            await MeasureAsync($"POST /api/porteurs ({pass})", () => PostAsync(backend, "api/porteurs", PorteurJson(++n), n)).ConfigureAwait(false);
            await MeasureAsync($"POST /api/newsletter/subscriptions ({pass})", () => PostAsync(backend, "api/newsletter/subscriptions", SubscriptionJson(++n), n)).ConfigureAwait(false);
        }

        await MeasureAsync("timer SweepFormMails after submissions", () => backend.RunFunctionAsync("SweepFormMails")).ConfigureAwait(false);
        await MeasureAsync("timer RetryOutbox after submissions", () => backend.RunFunctionAsync("RetryOutbox")).ConfigureAwait(false);

        foreach (var pass in new[] { "first", "again" })
        {
            foreach (var route in new[] { "api/staff/inbox/messages?handled=false", "api/staff/directory/actors?pageSize=20", "api/staff/porteurs/cases?due=true", "api/staff/newsletter/editions" })
            {
                await MeasureAsync($"GET /{route} ({pass})", () => GetAsync(backend, route)).ConfigureAwait(false);
            }
        }

        var seeded = 0;
        foreach (var size in new[] { audience, audience * 10 })
        {
            await SubscribersAsync(azurite, backend.NamePrefix, seeded, size - seeded).ConfigureAwait(false);
            seeded = size;
            var edition = await ApprovedEditionAsync(direct).ConfigureAwait(false);
            var sent = backend.Mail.Messages.TotalRecipients;
            await MeasureAsync(string.Create(CultureInfo.InvariantCulture, $"timer DispatchNewsletter, edition to {size:N0} subscribers"), async () =>
            {
                await backend.RunFunctionAsync("DispatchNewsletter").ConfigureAwait(false);
                if (!await SentAsync(direct, edition).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"Edition {edition} was not sent within 5 minutes; warnings: {string.Join(" | ", logs.Warnings)}");
                }
            }).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  edition {edition}: {backend.Mail.Messages.TotalRecipients - sent} recipients reached the sink"));
        }

        return Report(steps);
    }

    private static string Endpoint(AzuriteServer azurite, string name) =>
        azurite.ConnectionString.Split(';').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    private static async Task PostAsync(Backend backend, string route, string json, int n)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Accept", "application/json");
        request.Headers.Add("X-Forwarded-For", string.Create(CultureInfo.InvariantCulture, $"203.0.113.{n}"));
        using var response = await backend.Client.SendAsync(request).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {route} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }

    private static async Task GetAsync(Backend backend, string route)
    {
        using var response = await backend.StaffClient.GetAsync(new Uri(route, UriKind.Relative)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {route} answered {(int)response.StatusCode}.");
        }
    }

    private static string ContactJson(int n) => new JsonObject
    {
        ["name"] = "Camille Martin",
        ["email"] = string.Create(CultureInfo.InvariantCulture, $"camille.martin{n}@exemple.fr"),
        ["topic"] = "adhesion",
        ["message"] = string.Create(CultureInfo.InvariantCulture, $"Bonjour, notre association souhaite adhérer au réseau ({n})."),
        ["consent"] = true,
        ["website"] = "",
    }.ToJsonString();

    private static string PorteurJson(int n) => new JsonObject
    {
        ["firstName"] = "Awa",
        ["lastName"] = "Diallo",
        ["email"] = string.Create(CultureInfo.InvariantCulture, $"awa.diallo{n}@exemple.fr"),
        ["phone"] = "07 11 22 33 44",
        ["commune"] = "35238",
        ["projectTitle"] = "Traiteur solidaire",
        ["projectDescription"] = string.Create(CultureInfo.InvariantCulture, $"Un service traiteur avec un restaurant d'insertion, en circuit court ({n})."),
        ["sector"] = "alimentation",
        ["stage"] = "creation",
        ["legalStatus"] = "scic",
        ["needs"] = new JsonArray("local", "financement"),
        ["consent"] = true,
    }.ToJsonString();

    private static string SubscriptionJson(int n) => new JsonObject
    {
        ["email"] = string.Create(CultureInfo.InvariantCulture, $"dominique.leroy{n}@exemple.fr"),
        ["name"] = "Dominique Leroy",
        ["consent"] = true,
        ["website"] = "",
    }.ToJsonString();

    /// <summary>Waits until no storage request has been seen for two seconds (a timer's 202 comes before its work).</summary>
    private static async Task QuietAsync(CountingStorageProxy tables, CountingStorageProxy blobs)
    {
        var last = tables.Total + blobs.Total;
        var quietSince = Stopwatch.StartNew();
        while (quietSince.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(100).ConfigureAwait(false);
            var now = tables.Total + blobs.Total;
            if (now != last)
            {
                last = now;
                quietSince.Restart();
            }
        }
    }

    private static async Task SubscribersAsync(AzuriteServer azurite, string prefix, int from, int count)
    {
        var table = azurite.Tables().GetTableClient(prefix + "NewsletterSubscribers");
        var sample = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))!["Values"]!;
        var hasher = new EmailHasher(Microsoft.Extensions.Options.Options.Create(new EmailHashOptions { EmailHashKey = sample["Privacy__EmailHashKey"]!.GetValue<string>() }));
        await table.CreateIfNotExistsAsync().ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        foreach (var chunk in Enumerable.Range(from, count).Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(i =>
            {
                var email = string.Create(CultureInfo.InvariantCulture, $"abonne{i}@exemple.fr");
                return new TableTransactionAction(TableTransactionActionType.Add, new SubscriberEntity
                {
                    RowKey = hasher.Hash(EmailAddress.Parse(email)),
                    Email = email,
                    Status = SubscriberStatus.Confirmed,
                    CreatedAt = now,
                    ConsentAt = now,
                    ConfirmedAt = now,
                });
            })).ConfigureAwait(false);
        }
    }

    /// <summary>Who the benchmark's editions are created and approved by (an application, as a script is).</summary>
    private static readonly ResoSolidaire.Functions.Platform.Staff.StaffMember Bench = new("Banc de mesure des coûts", "banc-d-essai", new HashSet<string>(StringComparer.Ordinal) { "Equipe" }, IsApplication: true);

    private static async Task<string> ApprovedEditionAsync(ServiceProvider provider)
    {
        var editions = provider.GetRequiredService<EditionService>();
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var edition = await editions.CreateAsync(new EditionInput("Lettre de mesure", "Bonjour **à tous**.", [new NewsItem("Nouvelle", "Texte.")], [], yesterday, null, null), EditionKind.Monthly, Bench, CancellationToken.None).ConfigureAwait(false);
        await editions.ApproveAsync(edition.RowKey, Bench, CancellationToken.None).ConfigureAwait(false);
        return edition.RowKey;
    }

    private static async Task<bool> SentAsync(ServiceProvider provider, string id)
    {
        var editions = provider.GetRequiredService<EditionService>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if ((await editions.FindAsync(id, CancellationToken.None).ConfigureAwait(false))?.Status == EditionStatus.Sent)
            {
                return true;
            }

            await Task.Delay(250).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>The app's services on Azurite itself (not through the proxy): setting up a step is not counted.</summary>
    private static ServiceProvider DirectServices(AzuriteServer azurite, string prefix)
    {
        var sample = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))!["Values"]!.AsObject();
        var settings = sample.ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value!.ToString());
        settings["Storage:ConnectionString"] = azurite.ConnectionString;
        settings["Storage:NamePrefix"] = prefix;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddResoSolidaireServices(configuration);
        return services.BuildServiceProvider();
    }

    private static string Report(List<Step> steps)
    {
        var text = new StringBuilder();
        text.AppendLine("| step | table requests | of which $batch (operations inside) | blob requests (write / read / other) | worker log records | of which Warning+ | log message bytes |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var s in steps)
        {
            text.AppendLine(Row(s));
        }

        text.AppendLine();
        text.AppendLine("Log records by category, and the worker's warnings (all steps):");
        foreach (var s in steps)
        {
            foreach (var (category, count) in s.Logs.ByCategory.OrderByDescending(c => c.Value))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {s.Name}: {category} x{count}");
            }

            foreach (var warning in s.Logs.Warnings)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {s.Name}: warning: {warning}");
            }
        }

        return text.ToString();
    }

    private static string Row(Step s) => string.Create(CultureInfo.InvariantCulture,
        $"| {s.Name} | {s.Tables.Total} | {s.Tables.Batches} ({s.Tables.BatchOperations}) | {s.Blobs.Total} ({s.Blobs.Writes} / {s.Blobs.Reads} / {s.Blobs.Others}) | {s.Logs.Worker} | {s.Logs.WorkerWarnings} | {s.Logs.WorkerBytes:N0} |");

    private sealed record Step(string Name, StorageCounts Tables, StorageCounts Blobs, LogCounts Logs);
}

internal sealed record StorageCounts(long Total, long Batches, long BatchOperations, long Writes, long Reads, long Others);

internal sealed record LogCounts(long Worker, long WorkerWarnings, long WorkerBytes, IReadOnlyDictionary<string, long> ByCategory, IReadOnlyList<string> Warnings);

/// <summary>A reverse proxy in front of one Azurite endpoint that counts the requests it forwards, unchanged.</summary>
internal sealed class CountingStorageProxy : IAsyncDisposable
{
    private static readonly HashSet<string> _hopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect" };
    private readonly WebApplication _app;
    private readonly Uri _target;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private long _total;
    private long _batches;
    private long _batchOperations;
    private long _writes;
    private long _reads;
    private long _others;

    private CountingStorageProxy(WebApplication app, Uri target) => (_app, _target) = (app, target);

    public Uri BaseAddress { get; private set; } = null!;

    public long Total => Interlocked.Read(ref _total);

    public static async Task<CountingStorageProxy> StartAsync(Uri endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new CountingStorageProxy(app, new Uri(endpoint.GetLeftPart(UriPartial.Authority)));
        app.Run(proxy.ForwardAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Urls.First());
        proxy.BaseAddress = new Uri(address, endpoint.AbsolutePath);
        return proxy;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _batches, 0);
        Interlocked.Exchange(ref _batchOperations, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _others, 0);
    }

    public StorageCounts Snapshot() => new(Total, Interlocked.Read(ref _batches), Interlocked.Read(ref _batchOperations), Interlocked.Read(ref _writes), Interlocked.Read(ref _reads), Interlocked.Read(ref _others));

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        // The raw target, as the client signed it: Kestrel's Path is decoded, and re-encoding it may differ.
        var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, target));
        byte[]? body = null;
        // An empty body still carries its Content-Type, which the signature covers.
        if (request.ContentLength is not null || request.ContentType is not null || request.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
            message.Content = new ByteArrayContent(body);
        }

        foreach (var header in request.Headers.Where(h => !_hopHeaders.Contains(h.Key)))
        {
            if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        Count(request, body);
        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !string.Equals(h.Key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Kinds as the blob price list groups them: writes (and lists, container creation), reads, others (properties, leases).</summary>
    private void Count(HttpRequest request, byte[]? body)
    {
        Interlocked.Increment(ref _total);
        var comp = request.Query["comp"].ToString();
        var restype = request.Query["restype"].ToString();
        if (request.Path.Value?.EndsWith("/$batch", StringComparison.Ordinal) == true && body is not null)
        {
            Interlocked.Increment(ref _batches);
            var operations = Encoding.UTF8.GetString(body).Split("Content-Type: application/http").Length - 1;
            Interlocked.Add(ref _batchOperations, operations);
        }

        if (HttpMethods.IsPut(request.Method) && comp is not ("lease" or "metadata" or "properties")
            || HttpMethods.IsGet(request.Method) && comp == "list"
            || HttpMethods.IsPost(request.Method))
        {
            Interlocked.Increment(ref _writes);
        }
        else if (HttpMethods.IsGet(request.Method) && restype.Length == 0 && comp.Length == 0)
        {
            Interlocked.Increment(ref _reads);
        }
        else if (!HttpMethods.IsDelete(request.Method))
        {
            Interlocked.Increment(ref _others);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Counts the log records of the worker (what the Functions host forwards to Application Insights).</summary>
internal sealed class LogCounter : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lastWarnings = new();
    private ConcurrentDictionary<string, long> _byCategory = new(StringComparer.Ordinal);
    private long _worker;
    private long _warnings;
    private long _bytes;

    private readonly SemaphoreSlim _executed = new(0);

    /// <summary>Waits for the host's "Executed" record of the invocation a step started (a timer's 202 comes first).</summary>
    public async Task ExecutedAsync()
    {
        if (!await _executed.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false))
        {
            throw new InvalidOperationException("No invocation finished within 5 minutes.");
        }
    }

    public void Reset()
    {
        while (_executed.CurrentCount > 0)
        {
            _executed.Wait(0);
        }

        _lastWarnings.Clear();
        _byCategory = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        Interlocked.Exchange(ref _worker, 0);
        Interlocked.Exchange(ref _warnings, 0);
        Interlocked.Exchange(ref _bytes, 0);
    }

    /// <summary>The last warnings and errors of the worker, to say why a step failed.</summary>
    public IEnumerable<string> Warnings => _lastWarnings;

    public LogCounts Snapshot() => new(Interlocked.Read(ref _worker), Interlocked.Read(ref _warnings), Interlocked.Read(ref _bytes), new Dictionary<string, long>(_byCategory), [.. _lastWarnings]);

    public ILogger CreateLogger(string categoryName) => new Counting(this, categoryName);

    public void Dispose() => _executed.Dispose();

    private sealed class Counting(LogCounter owner, string category) : ILogger
    {
        // "Host..." are the local host's own records (Executing/Executed, as the Functions host writes them in Azure);
        // everything else came from the worker (RpcLog or its console).
        private readonly bool _fromWorker = !category.StartsWith("Host", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner._byCategory.AddOrUpdate(category, 1, (_, c) => c + 1);
            if (!_fromWorker)
            {
                if (category == "Host.Function" && formatter(state, exception).StartsWith("Executed '", StringComparison.Ordinal))
                {
                    owner._executed.Release();
                }

                return;
            }

            Interlocked.Increment(ref owner._worker);
            if (logLevel >= LogLevel.Warning)
            {
                Interlocked.Increment(ref owner._warnings);
                owner._lastWarnings.Enqueue($"{category}: {formatter(state, exception)}");
                while (owner._lastWarnings.Count > 30)
                {
                    owner._lastWarnings.TryDequeue(out _);
                }
            }

            Interlocked.Add(ref owner._bytes, Encoding.UTF8.GetByteCount(formatter(state, exception)));
        }
    }
}
