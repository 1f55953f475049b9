using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Hosting;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace ResoSolidaire.Functions.Platform.Storage;

public enum StorageKind
{
    Table,
    BlobContainer,
}

/// <summary>A table or a container a store needs, by its name before the prefix.</summary>
public sealed record StorageResource(StorageKind Kind, string Name);

public static class StorageDeclarations
{
    /// <summary>Declares a table the app needs: it is created at start-up, before its first use.</summary>
    public static IServiceCollection AddTable(this IServiceCollection services, string name) =>
        services.Declare(new StorageResource(StorageKind.Table, name));

    /// <summary>Declares a private blob container the app needs: it is created at start-up, before its first use.</summary>
    public static IServiceCollection AddBlobContainer(this IServiceCollection services, string name) =>
        services.Declare(new StorageResource(StorageKind.BlobContainer, name));

    private static IServiceCollection Declare(this IServiceCollection services, StorageResource resource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource.Name);
        services.AddSingleton(resource); // declared twice (two modules sharing a table) is still created once
        return services;
    }
}

/// <summary>
/// Creates every declared table and container once per process: at start-up (<see cref="StorageProvisioningService"/>)
/// and, should that not have succeeded yet, on first use. A failed creation is not remembered: the next use
/// tries again, so storage that was down at start-up needs no restart once it is back.
/// </summary>
public sealed class StorageProvisioning : IDisposable
{
    private readonly TableServiceClient _tables;
    private readonly BlobServiceClient _blobs;
    private readonly StorageNames _names;
    private readonly HashSet<StorageResource> _declared;
    private readonly HashSet<StorageResource> _created = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public StorageProvisioning(TableServiceClient tables, BlobServiceClient blobs, StorageNames names, IEnumerable<StorageResource> declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        (_tables, _blobs, _names) = (tables, blobs, names);
        _declared = [.. declared];
    }

    /// <summary>The client of a declared table, once every declared table and container exists.</summary>
    public async Task<TableClient> TableAsync(string name, CancellationToken cancellationToken)
    {
        Require(new StorageResource(StorageKind.Table, name));
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return _tables.GetTableClient(_names.Table(name));
    }

    /// <summary>The client of a declared container, once every declared table and container exists.</summary>
    public async Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken)
    {
        Require(new StorageResource(StorageKind.BlobContainer, name));
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return _blobs.GetBlobContainerClient(_names.Container(name));
    }

    /// <summary>Creates what is not created yet; callers at the same moment wait for one creation.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            var missing = _declared.Except(_created).ToList();
            var creations = missing.Select(r => CreateAsync(r, cancellationToken)).ToList();
            try
            {
                await Task.WhenAll(creations).ConfigureAwait(false);
            }
            finally
            {
                // What did get created is not asked for again; what failed is, by the next caller.
                _created.UnionWith(missing.Where((_, i) => creations[i].IsCompletedSuccessfully));
            }

            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task CreateAsync(StorageResource resource, CancellationToken cancellationToken)
    {
        if (resource.Kind == StorageKind.Table)
        {
            await _tables.GetTableClient(_names.Table(resource.Name)).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _blobs.GetBlobContainerClient(_names.Container(resource.Name))
                .CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private void Require(StorageResource resource)
    {
        if (!_declared.Contains(resource))
        {
            throw new InvalidOperationException(
                $"{resource.Kind} '{resource.Name}' is not declared: register it with services.{(resource.Kind == StorageKind.Table ? "AddTable" : "AddBlobContainer")}(\"{resource.Name}\").");
        }
    }
}

/// <summary>The resilience pipeline of the start-up creation: storage may be slow to answer when the app starts.</summary>
public static class StorageResilience
{
    public const string PipelineKey = "Storage";

    public static RetryStrategyOptions RetryOptions { get; } = new()
    {
        ShouldHandle = new PredicateBuilder()
            .Handle<RequestFailedException>(ex => ex.Status is 0 or 408 or 429 or >= 500)
            .Handle<AggregateException>(ex => ex.InnerExceptions.All(e => e is RequestFailedException or HttpRequestException)),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromSeconds(2),
        MaxDelay = TimeSpan.FromSeconds(30),
        MaxRetryAttempts = 6,
    };
}

/// <summary>Creates the declared tables and containers when the worker starts, without holding up its start.</summary>
internal sealed partial class StorageProvisioningService(
    StorageProvisioning provisioning,
    ResiliencePipelineProvider<string> pipelines,
    ILogger<StorageProvisioningService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _creation;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _creation = CreateAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_creation is not null)
        {
            await _creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await pipelines.GetPipeline(StorageResilience.PipelineKey)
                .ExecuteAsync(async ct => await provisioning.EnsureCreatedAsync(ct).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is stopping.
        }
        catch (Exception ex)
        {
            LogNotCreated(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage tables and containers could not be created at start-up: their first use tries again")]
    private partial void LogNotCreated(Exception exception);
}
