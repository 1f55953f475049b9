using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResoSolidaire.Benchmarks.Newsletter;
using ResoSolidaire.Functions;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Testing;

// Newsletter dispatch benchmark: the real dispatcher (freeze + batches of 1,000) against Azurite and the
// local SendGrid sink, beside the naive loop of one request per recipient.
//   [sizes...] [--runs R] [--naive N...]   (defaults: 10000 100000, 3 runs, naive at the same sizes)
// Azurite (node) and the mail sink (`dotnet ResoSolidaire.MailSink.dll`) run in processes of their own, and
// every measurement runs in a child process of its own (`--child dispatch|naive ...`), so that the peak
// memory reported is the dispatching process's alone: its peak resident set (VmHWM, reset after a warm-up
// dispatch of 1,000 recipients that compiles every code path) and its peak GC heap (sampled).
if (args is ["--child", ..])
{
    return await Child.RunAsync(args[1..]);
}

var sizes = Numbers(args.TakeWhile(a => a.StartsWith('-') is false)).DefaultIfEmpty(10_000).ToList();
var runs = Numbers(args.SkipWhile(a => a != "--runs").Skip(1).Take(1)).DefaultIfEmpty(3).First();
var naiveSizes = args.Contains("--naive") ? Numbers(args.SkipWhile(a => a != "--naive").Skip(1).TakeWhile(a => !a.StartsWith('-'))).ToList() : sizes;

await using var azurite = await AzuriteServer.StartAsync();
await using var sink = await SinkProcess.StartAsync();
var warm = AzuriteServer.UniquePrefix();
await Seed.SubscribersAsync(azurite, warm, Child.WarmUpSize);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Load average at start: {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores"));

var results = new List<(int Size, string Mode, Measure M)>();
for (var run = 1; run <= runs; run++)
{
    foreach (var size in sizes)
    {
        var prefix = AzuriteServer.UniquePrefix();
        await Seed.SubscribersAsync(azurite, prefix, size);
        var m = await Child.SpawnAsync("dispatch", size, prefix, warm, azurite, sink);
        await Seed.DropAsync(azurite, prefix);
        results.Add((size, "dispatch", m));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run} dispatch {size}: {m}"));
    }

    foreach (var size in naiveSizes)
    {
        var m = await Child.SpawnAsync("naive", size, AzuriteServer.UniquePrefix(), warm, azurite, sink);
        results.Add((size, "naive", m));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run} naive {size}: {m}"));
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Load average at end: {File.ReadAllText("/proc/loadavg").Trim()}"));
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Medians of {runs} runs:"));
Console.WriteLine("| recipients | mode | requests | wall time | time per recipient | freeze | vs naive | peak working set | peak GC heap | allocated | dispatcher CPU per recipient | Azurite CPU per recipient | sink CPU per recipient |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var group in results.GroupBy(r => (r.Size, r.Mode)).OrderBy(g => g.Key.Size).ThenBy(g => g.Key.Mode))
{
    var (size, mode) = group.Key;
    var seconds = Median(group.Select(r => r.M.Seconds));
    var naive = results.Where(r => r.Size == size && r.Mode == "naive").Select(r => r.M.Seconds).ToList();
    var versus = mode == "dispatch" && naive.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Median(naive) / seconds:0.0}× faster") : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {size:N0} | {(mode == "dispatch" ? "dispatcher (batches of 1,000)" : "naive (one request per recipient)")} | {group.First().M.Requests:N0} | {seconds:0.0} s | {seconds * 1e6 / size:0} µs | {(mode == "dispatch" ? string.Create(CultureInfo.InvariantCulture, $"{Median(group.Select(r => r.M.FreezeSeconds)):0.0} s") : "")} | {versus} | {Median(group.Select(r => r.M.PeakWorkingSetMb)):0} MB | {Median(group.Select(r => r.M.PeakHeapMb)):0} MB | {Median(group.Select(r => r.M.AllocatedMb)):0} MB | {Median(group.Select(r => r.M.CpuSeconds)) * 1e6 / size:0} µs | {Median(group.Select(r => r.M.StorageCpuSeconds)) * 1e6 / size:0} µs | {Median(group.Select(r => r.M.SinkCpuSeconds)) * 1e6 / size:0} µs |"));
}

var perRecipient = sizes.Select(s => Median(results.Where(r => r.Size == s && r.Mode == "dispatch").Select(r => r.M.Seconds)) / s).ToList();
if (perRecipient.Count > 1)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Time per recipient, largest size over smallest: {perRecipient[^1] / perRecipient[0]:0.00}"));
}

return 0;

static IEnumerable<int> Numbers(IEnumerable<string> args) =>
    args.Where(a => int.TryParse(a, out _)).Select(a => int.Parse(a, CultureInfo.InvariantCulture));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

namespace ResoSolidaire.Benchmarks.Newsletter
{
    /// <summary>One measurement, as a child process reports it.</summary>
    internal sealed record Measure(double Seconds, long Requests, double PeakWorkingSetMb, double PeakHeapMb, double AllocatedMb, double BaselineMb, double FreezeSeconds, double CpuSeconds)
    {
        /// <summary>CPU time of Azurite (node) and of the mail sink during the measurement.</summary>
        public double StorageCpuSeconds { get; init; }

        public double SinkCpuSeconds { get; init; }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Seconds:0.00} s, {Requests} requests, peak working set {PeakWorkingSetMb:0} MB (baseline {BaselineMb:0} MB), peak GC heap {PeakHeapMb:0} MB, allocated {AllocatedMb:0} MB, freeze {FreezeSeconds:0.00} s, CPU: dispatcher {CpuSeconds:0.00} s, Azurite {StorageCpuSeconds:0.00} s, sink {SinkCpuSeconds:0.00} s");
    }

    /// <summary>CPU time of processes, from /proc (Linux): the load of other builds does not count in it.</summary>
    internal static class Cpu
    {
        public static double Seconds(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (IOException)
            {
                return 0;
            }
        }

        public static int ParentId => Parent(Environment.ProcessId);

        /// <summary>The Azurite started under <paramref name="ancestor"/> (through scripts/with-parent.mjs).</summary>
        public static double AzuriteSeconds(int ancestor)
        {
            var all = System.IO.Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0).ToList();
            var total = 0.0;
            foreach (var pid in all)
            {
                try
                {
                    var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
                    if (cmdline.Contains("azurite.js", StringComparison.Ordinal) && !cmdline.Contains("with-parent", StringComparison.Ordinal) && IsDescendant(pid, ancestor))
                    {
                        total += Seconds(pid);
                    }
                }
                catch (IOException)
                {
                    // Gone meanwhile.
                }
            }

            return total;
        }

        private static bool IsDescendant(int pid, int ancestor)
        {
            for (var i = 0; i < 5 && pid > 1; i++)
            {
                pid = Parent(pid);
                if (pid == ancestor)
                {
                    return true;
                }
            }

            return false;
        }

        private static int Parent(int pid)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The mail sink in a process of its own: its stored messages are not the dispatcher's memory.</summary>
    internal sealed class SinkProcess : IAsyncDisposable
    {
        private static readonly string[] Configurations = ["Release", "Debug"];

        private readonly Process _process;

        private SinkProcess(Process process, Uri baseAddress) => (_process, BaseAddress) = (process, baseAddress);

        public Uri BaseAddress { get; }

        public int ProcessId => _process.Id;

        public static async Task<SinkProcess> StartAsync()
        {
            var dll = Configurations
                .Select(c => RepoPaths.Combine("tools", "ResoSolidaire.MailSink", "bin", c, "net10.0", "ResoSolidaire.MailSink.dll"))
                .FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("Build the mail sink first: dotnet build tools/ResoSolidaire.MailSink -c Release");
            var port = FreePort.Next();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { dll, "--port", port.ToString(CultureInfo.InvariantCulture), "--capacity", "200" })
            {
                start.ArgumentList.Add(a);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var sink = new SinkProcess(process, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")));
            for (var i = 0; i < 300 && !await FreePort.IsListeningAsync(port).ConfigureAwait(false); i++)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }

            return sink;
        }

        public async Task<(long Accepted, long Recipients)> CountsAsync()
        {
            using var http = new HttpClient { BaseAddress = BaseAddress };
            var health = await http.GetFromJsonAsync<JsonObject>("api/health").ConfigureAwait(false);
            return (health!["totalAccepted"]!.GetValue<long>(), health["totalRecipients"]!.GetValue<long>());
        }

        public async ValueTask DisposeAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            _process.Dispose();
        }
    }

    internal static class Seed
    {
        public static async Task SubscribersAsync(AzuriteServer azurite, string prefix, int count)
        {
            var table = azurite.Tables().GetTableClient(prefix + "NewsletterSubscribers");
            // The key the app gets from local.settings.sample.json, so that it finds the rows seeded here.
            var sample = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))!["Values"]!;
            var hasher = new EmailHasher(Microsoft.Extensions.Options.Options.Create(new EmailHashOptions { EmailHashKey = sample["Privacy__EmailHashKey"]!.GetValue<string>() }));
            await table.CreateIfNotExistsAsync().ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            await Parallel.ForEachAsync(Enumerable.Range(0, count).Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
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
                }), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        /// <summary>Frees Azurite's memory between measurements.</summary>
        public static async Task DropAsync(AzuriteServer azurite, string prefix)
        {
            var tables = azurite.Tables();
            await foreach (var t in tables.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "~"}")).ConfigureAwait(false))
            {
                await tables.DeleteTableAsync(t.Name).ConfigureAwait(false);
            }
        }
    }

    internal static class Child
    {
        public const int WarmUpSize = 1_000;

        public static async Task<Measure> SpawnAsync(string mode, int size, string prefix, string warmPrefix, AzuriteServer azurite, SinkProcess sink)
        {
            var before = await sink.CountsAsync().ConfigureAwait(false);

            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(Child).Assembly.Location);
            }

            foreach (var a in new[] { "--child", mode, size.ToString(CultureInfo.InvariantCulture), prefix, warmPrefix, azurite.ConnectionString, sink.BaseAddress.ToString(), sink.ProcessId.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await process.WaitForExitAsync().ConfigureAwait(false);
            var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"The {mode} child failed ({process.ExitCode}): {output}");
            var measure = JsonSerializer.Deserialize<Measure>(line["RESULT ".Length..])!;
            var after = await sink.CountsAsync().ConfigureAwait(false);

            // The warm-up's request and report, and the staff report of the measured dispatch, are not the measured requests.
            var dispatch = mode == "dispatch";
            var recipients = after.Recipients - before.Recipients - WarmUpSize - (dispatch ? 2 : 0);
            if (recipients != size)
            {
                throw new InvalidOperationException($"The sink received {recipients} newsletter recipients of {size}.");
            }

            return measure with { Requests = after.Accepted - before.Accepted - (dispatch ? 3 : WarmUpSize) };
        }

        public static async Task<int> RunAsync(string[] args)
        {
            var (mode, size, prefix, warmPrefix, storage, sinkUrl) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3], args[4], args[5]);
            var sinkPid = int.Parse(args[6], CultureInfo.InvariantCulture);
            var freeze = new FreezeTimer();
            await using var warmProvider = Services(storage, warmPrefix, sinkUrl, freeze);
            await using var provider = Services(storage, prefix, sinkUrl, freeze);
            Func<Task> measured;
            if (mode == "dispatch")
            {
                await DispatchAsync(warmProvider, WarmUpSize).ConfigureAwait(false);
                var dispatcher = await ApprovedEditionAsync(provider).ConfigureAwait(false);
                measured = async () =>
                {
                    var run = await dispatcher.RunAsync(CancellationToken.None).ConfigureAwait(false);
                    if (run.Recipients != size || run.Stopped)
                    {
                        throw new InvalidOperationException($"Dispatch sent {run.Recipients} of {size} (stopped: {run.Stopped}).");
                    }
                };
            }
            else
            {
                await NaiveAsync(warmProvider, WarmUpSize).ConfigureAwait(false);
                measured = () => NaiveAsync(provider, size);
            }

            var (storageCpu, sinkCpu) = (Cpu.AzuriteSeconds(Cpu.ParentId), Cpu.Seconds(sinkPid));
            var measure = await MeasureAsync(measured).ConfigureAwait(false);
            measure = measure with { StorageCpuSeconds = Cpu.AzuriteSeconds(Cpu.ParentId) - storageCpu, SinkCpuSeconds = Cpu.Seconds(sinkPid) - sinkCpu };
            Console.WriteLine("RESULT " + JsonSerializer.Serialize(measure with { FreezeSeconds = freeze.Last.TotalSeconds }));
            return 0;
        }

        private static async Task DispatchAsync(ServiceProvider provider, int size)
        {
            var dispatcher = await ApprovedEditionAsync(provider).ConfigureAwait(false);
            var run = await dispatcher.RunAsync(CancellationToken.None).ConfigureAwait(false);
            if (run.Recipients != size)
            {
                throw new InvalidOperationException($"Warm-up dispatch sent {run.Recipients} of {size}.");
            }
        }

        /// <summary>Who the benchmark's editions are created and approved by (an application, as a script is).</summary>
        private static readonly ResoSolidaire.Functions.Platform.Staff.StaffMember Bench = new("Banc d'essai de la lettre", "banc-d-essai", new HashSet<string>(StringComparer.Ordinal) { "Equipe" }, IsApplication: true);

        private static async Task<NewsletterDispatcher> ApprovedEditionAsync(ServiceProvider provider)
        {
            var editions = provider.GetRequiredService<EditionService>();
            var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var edition = await editions.CreateAsync(new EditionInput("Lettre du banc d'essai", "Bonjour **à tous**.", [new NewsItem("Nouvelle", "Texte.")], [], yesterday, null, null), EditionKind.Monthly, Bench, CancellationToken.None).ConfigureAwait(false);
            await editions.ApproveAsync(edition.RowKey, Bench, CancellationToken.None).ConfigureAwait(false);
            return provider.GetRequiredService<NewsletterDispatcher>();
        }

        /// <summary>The naive loop: one request per recipient, same composer, same gateway, same sink.</summary>
        private static async Task NaiveAsync(ServiceProvider provider, int size)
        {
            var composer = provider.GetRequiredService<BatchComposer>();
            var hasher = provider.GetRequiredService<EmailHasher>();
            var gateway = provider.GetRequiredService<SendGridGateway>();
            var content = provider.GetRequiredService<EditionRenderer>().Render(new EditionContent("naive", "Lettre du banc d'essai", "Bonjour **à tous**.", [new NewsItem("Nouvelle", "Texte.")], [], []), "http://localhost/");
            for (var i = 0; i < size; i++)
            {
                var email = string.Create(CultureInfo.InvariantCulture, $"naif{i}@exemple.fr");
                var json = composer.Compose(content, [new LedgerEntity { RowKey = hasher.Hash(EmailAddress.Parse(email)), Email = email }], "naive", "00000", "newsletter");
                var result = await gateway.SendAsync(json, CancellationToken.None).ConfigureAwait(false);
                if (!result.Accepted)
                {
                    throw new InvalidOperationException($"Naive send answered {result.Status}.");
                }
            }
        }

        private static async Task<Measure> MeasureAsync(Func<Task> action)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var baseline = Rss("VmRSS");

            // Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one.
            File.WriteAllText("/proc/self/clear_refs", "5");
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Environment.CpuUsage.TotalTime;
            long peakHeap = 0;
            using var stop = new CancellationTokenSource();
            var sampler = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                    Thread.Sleep(10);
                }
            })
            { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            sampler.Start();
            var clock = Stopwatch.StartNew();
            await action().ConfigureAwait(false);
            clock.Stop();
            await stop.CancelAsync().ConfigureAwait(false);
            sampler.Join();
            const double Mb = 1024 * 1024;
            return new Measure(clock.Elapsed.TotalSeconds, 0, Rss("VmHWM") / Mb, peakHeap / Mb, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / Mb, baseline / Mb, 0, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
        }

        private static long Rss(string field) =>
            File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024).First();

        private static ServiceProvider Services(string storage, string prefix, string sinkUrl, FreezeTimer freeze)
        {
            var sample = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))!["Values"]!.AsObject();
            var settings = sample.ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value!.ToString());
            settings["Storage:ConnectionString"] = storage;
            settings["Storage:NamePrefix"] = prefix;
            settings["SendGrid:Host"] = sinkUrl.TrimEnd('/');
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(freeze));
            services.AddSingleton<IConfiguration>(configuration);
            services.AddResoSolidaireServices(configuration);
            return services.BuildServiceProvider();
        }
    }

    /// <summary>Reads the freeze time from the dispatcher's own log ("... frozen ... in {ElapsedMs} ms").</summary>
    internal sealed class FreezeTimer : ILoggerProvider, ILogger
    {
        public TimeSpan Last { get; private set; }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "ElapsedMs").Value is long ms)
            {
                Last = TimeSpan.FromMilliseconds(ms);
            }
        }

        public void Dispose()
        {
        }
    }
}
