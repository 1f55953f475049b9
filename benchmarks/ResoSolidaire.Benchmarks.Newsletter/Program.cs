using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Platform;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.MailSink;
using ResoSolidaire.Testing;

// Newsletter dispatch benchmark: the real dispatcher (freeze + batches of 1,000) against Azurite and the
// local SendGrid sink, beside the naive loop of one request per recipient. Usage: [sizes...] [--naive N]
var sizes = args.TakeWhile(a => a != "--naive").Where(a => int.TryParse(a, out _)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).DefaultIfEmpty(10_000).ToList();
var naiveCount = args.SkipWhile(a => a != "--naive").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(2_000);

await using var azurite = await AzuriteServer.StartAsync();
await using var sink = await MailSinkServer.StartAsync(new MailSinkOptions { Port = 0, Capacity = 20 });
Console.WriteLine($"| recipients | mode | requests | wall time | time per recipient | peak working set |");
Console.WriteLine($"|---:|---|---:|---:|---:|---:|");

foreach (var size in sizes)
{
    await using var provider = Services(azurite, sink);
    await SeedAsync(provider, azurite, size);
    var editions = provider.GetRequiredService<EditionService>();
    var edition = await editions.CreateAsync(new EditionInput("Lettre du banc d'essai", "Bonjour **à tous**.", [new NewsItem("Nouvelle", "Texte.")], [], DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, null), EditionKind.Monthly, CancellationToken.None);
    await editions.ApproveAsync(edition.RowKey, CancellationToken.None);
    var dispatcher = provider.GetRequiredService<NewsletterDispatcher>();
    var accepted = sink.Messages.TotalRecipients;
    var requests = sink.Messages.TotalAccepted;

    var (elapsed, peak) = await MeasureAsync(() => dispatcher.RunAsync(CancellationToken.None));
    var sent = sink.Messages.TotalRecipients - accepted - 1; // the staff report
    if (sent != size)
    {
        throw new InvalidOperationException($"Dispatch sent {sent} of {size}.");
    }

    Report(size, "dispatcher (batches of 1,000)", sink.Messages.TotalAccepted - requests - 1, elapsed, peak);
}

{
    // The naive loop: one request per recipient, same composer, same gateway, same sink.
    await using var provider = Services(azurite, sink);
    var composer = provider.GetRequiredService<BatchComposer>();
    var gateway = provider.GetRequiredService<SendGridGateway>();
    var content = new EditionRenderer().Render(new EditionContent("naive", "Lettre du banc d'essai", "Bonjour.", [], [], []), "http://localhost/");
    var requests = sink.Messages.TotalAccepted;
    var (elapsed, peak) = await MeasureAsync(async () =>
    {
        for (var i = 0; i < naiveCount; i++)
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"naif{i}@exemple.fr");
            var json = composer.Compose(content, [new LedgerEntity { RowKey = EmailKey.Hash(email), Email = email }], "naive", "00000", "newsletter");
            var result = await gateway.SendAsync(json, CancellationToken.None);
            if (!result.Accepted)
            {
                throw new InvalidOperationException($"Naive send answered {result.Status}.");
            }
        }

        return 0;
    });
    Report(naiveCount, "naive (one request per recipient)", sink.Messages.TotalAccepted - requests, elapsed, peak);
}

static void Report(int recipients, string mode, long requests, TimeSpan elapsed, long peak) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {recipients:N0} | {mode} | {requests:N0} | {elapsed.TotalSeconds:0.0} s | {elapsed.TotalMilliseconds * 1000 / recipients:0} µs | {peak / 1048576.0:0} MB |"));

static async Task<(TimeSpan Elapsed, long PeakWorkingSet)> MeasureAsync<T>(Func<Task<T>> action)
{
    GC.Collect();
    var process = Process.GetCurrentProcess();
    long peak = 0;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            await Task.Delay(20).ConfigureAwait(false);
        }
    });
    var clock = Stopwatch.StartNew();
    await action().ConfigureAwait(false);
    clock.Stop();
    await stop.CancelAsync().ConfigureAwait(false);
    await sampler.ConfigureAwait(false);
    return (clock.Elapsed, peak);
}

static ServiceProvider Services(AzuriteServer azurite, MailSinkServer sink)
{
    var sample = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))!["Values"]!.AsObject();
    var settings = sample.ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value!.ToString());
    settings["Storage:ConnectionString"] = azurite.ConnectionString;
    settings["Storage:NamePrefix"] = AzuriteServer.UniquePrefix();
    settings["SendGrid:Host"] = sink.BaseAddress.ToString().TrimEnd('/');
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    var services = new ServiceCollection().AddLogging();
    services.AddSingleton<IConfiguration>(configuration);
    services.AddResoSolidaireServices(configuration);
    return services.BuildServiceProvider();
}

static async Task SeedAsync(ServiceProvider provider, AzuriteServer azurite, int count)
{
    var names = provider.GetRequiredService<ResoSolidaire.Functions.Platform.Storage.StorageNames>();
    var table = azurite.Tables().GetTableClient(names.Table("NewsletterSubscribers"));
    await table.CreateIfNotExistsAsync();
    var now = DateTimeOffset.UtcNow;
    var chunks = Enumerable.Range(0, count).Chunk(100).ToList();
    await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
    {
        await table.SubmitTransactionAsync(chunk.Select(i =>
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"abonne{i}@exemple.fr");
            return new TableTransactionAction(TableTransactionActionType.Add, new SubscriberEntity
            {
                RowKey = EmailKey.Hash(email),
                Email = email,
                Status = SubscriberStatus.Confirmed,
                CreatedAt = now,
                ConsentAt = now,
                ConfirmedAt = now,
            });
        }), ct).ConfigureAwait(false);
    });
}
