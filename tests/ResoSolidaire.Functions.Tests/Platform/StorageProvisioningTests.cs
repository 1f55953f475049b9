using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Platform;

/// <summary>Tables and containers created once, at start-up or at first use, against an Azurite of the test's own that it stops and starts.</summary>
public sealed class StorageProvisioningTests
{
    [Fact]
    public async Task StorageDownAtTheFirstUseIsTriedAgainAtTheNextUseAndEachResourceIsCreatedOnce()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var creations = new CreationCounter();
        var names = new StorageNames(Options.Create(new StorageOptions { NamePrefix = AzuriteServer.UniquePrefix() }));
        var tableOptions = new TableClientOptions();
        tableOptions.Retry.MaxRetries = 0;
        tableOptions.AddPolicy(creations, HttpPipelinePosition.PerCall);
        var blobOptions = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06);
        blobOptions.Retry.MaxRetries = 0;
        blobOptions.AddPolicy(creations, HttpPipelinePosition.PerCall);
        using var provisioning = new StorageProvisioning(
            new TableServiceClient(azurite.ConnectionString, tableOptions),
            new BlobServiceClient(azurite.ConnectionString, blobOptions),
            names,
            [new(StorageKind.Table, "Things"), new(StorageKind.BlobContainer, "files")]);

        await azurite.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => provisioning.TableAsync("Things", default));

        await azurite.StartAgainAsync();
        creations.Reset();
        var uses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => provisioning.TableAsync("Things", default)));
        var container = await provisioning.ContainerAsync("files", default);
        await provisioning.TableAsync("Things", default);

        await uses[0].AddEntityAsync(new TableEntity("p", "r"));
        Assert.True((await uses[7].GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
        Assert.True((await container.ExistsAsync()).Value);
        Assert.Equal(1, creations.Tables);
        Assert.Equal(1, creations.Containers);
    }

    [Fact]
    public async Task ATableNobodyDeclaredIsRefusedWithTheLineToAdd()
    {
        var azurite = await AzuriteServer.SharedAsync();
        var names = new StorageNames(Options.Create(new StorageOptions { NamePrefix = AzuriteServer.UniquePrefix() }));
        using var provisioning = new StorageProvisioning(azurite.Tables(), azurite.Blobs(), names, [new(StorageKind.Table, "Things")]);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => provisioning.TableAsync("Others", default));

        Assert.Contains("services.AddTable(\"Others\")", refused.Message, StringComparison.Ordinal);
        Assert.False(await ExistsAsync(azurite.Tables(), names.Table("Things")));
    }

    [Fact]
    public async Task StorageDownWhenTheWorkerStartsGetsItsTablesOnceItIsBackWithoutAnyUse()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var prefix = AzuriteServer.UniquePrefix();
        var events = new ResilienceEvents();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 5, 8, 0, 0, TimeSpan.Zero));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:NamePrefix"] = prefix,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(time)
            .AddLogging(logging => logging.AddProvider(events));
        services.AddStorage(configuration).AddTable("Things").AddBlobContainer("files");
        await using var provider = services.BuildServiceProvider();
        var startUp = Assert.Single(provider.GetServices<IHostedService>().OfType<StorageProvisioningService>());

        await azurite.StopAsync();
        await startUp.StartAsync(default);
        await Eventually.TrueAsync(() => Task.FromResult(events.Retries > 0), TimeSpan.FromSeconds(30), "a first try meeting the stopped storage");
        await azurite.StartAgainAsync();

        // The retry waits on the injected clock: move it on until the pipeline has tried again.
        await Eventually.TrueAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(30));
            return await ExistsAsync(azurite.Tables(), prefix + "Things");
        }, TimeSpan.FromSeconds(60), "the table created by the start-up retry");
        Assert.True((await azurite.Blobs().GetBlobContainerClient($"{prefix}-files").ExistsAsync()).Value);
        await startUp.StopAsync(default);
    }

    private static async Task<bool> ExistsAsync(TableServiceClient tables, string name)
    {
        await foreach (var _ in tables.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName eq {name}")))
        {
            return true;
        }

        return false;
    }

    /// <summary>Counts the retries the resilience pipeline reports in its log.</summary>
    private sealed class ResilienceEvents : ILoggerProvider, ILogger
    {
        private int _retries;

        public int Retries => Volatile.Read(ref _retries);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("'OnRetry'", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _retries);
            }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Counts the requests that create a table or a container.</summary>
    private sealed class CreationCounter : HttpPipelineSynchronousPolicy
    {
        private int _tables;
        private int _containers;

        public int Tables => Volatile.Read(ref _tables);

        public int Containers => Volatile.Read(ref _containers);

        public void Reset() => (_tables, _containers) = (0, 0);

        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            if (request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("/Tables", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _tables);
            }
            else if (request.Method == RequestMethod.Put && request.Uri.Query.Contains("restype=container", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _containers);
            }
        }
    }
}
