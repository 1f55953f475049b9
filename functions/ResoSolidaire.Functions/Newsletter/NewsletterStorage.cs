using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ResoSolidaire.Functions.Platform.Storage;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>The newsletter's tables and container, created once per process on first use.</summary>
public sealed class NewsletterStorage(TableServiceClient tables, BlobServiceClient blobs, StorageNames names)
{
    public const string Subscribers = "NewsletterSubscribers";
    public const string Suppressions = "NewsletterSuppressions";
    public const string Editions = "NewsletterEditions";
    public const string Batches = "NewsletterBatches";
    public const string Ledger = "NewsletterLedger";
    public const string WebhookEvents = "NewsletterWebhookEvents";

    /// <summary>Rendered editions (frozen content), the web archive and the dispatcher's lease blob.</summary>
    public const string Container = "newsletter";

    private readonly ConcurrentDictionary<string, Task<TableClient>> _tables = new(StringComparer.Ordinal);
    private Task<BlobContainerClient>? _container;

    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken) =>
        _tables.GetOrAdd(name, n => CreateTableAsync(n, cancellationToken));

    public Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) =>
        _container ??= CreateContainerAsync(cancellationToken);

    private async Task<TableClient> CreateTableAsync(string name, CancellationToken cancellationToken)
    {
        var table = tables.GetTableClient(names.Table(name));
        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _tables.TryRemove(name, out _);
            throw;
        }

        return table;
    }

    private async Task<BlobContainerClient> CreateContainerAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(names.Container(Container));
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _container = null;
            throw;
        }

        return container;
    }
}
