using Azure.Storage.Blobs;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>The newsletter's tables and container, created at start-up (declared in AddNewsletter).</summary>
public sealed class NewsletterStorage(StorageProvisioning storage)
{
    public const string Subscribers = "NewsletterSubscribers";
    public const string Suppressions = "NewsletterSuppressions";
    public const string Editions = "NewsletterEditions";
    public const string Batches = "NewsletterBatches";
    public const string Ledger = "NewsletterLedger";
    public const string WebhookEvents = "NewsletterWebhookEvents";

    /// <summary>The SendGrid events of each edition (delivered, bounced, unsubscribed...): counts for the activity report, no address.</summary>
    public const string DeliveryEvents = "NewsletterDeliveryEvents";

    /// <summary>Subscribers gained and lost, one anonymous row each (when, why): the activity report's counts outlive the purged rows.</summary>
    public const string AudienceChanges = "NewsletterAudienceChanges";

    /// <summary>Rendered editions (frozen content), the web archive and the dispatcher's lease blob.</summary>
    public const string Container = "newsletter";

    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken) => storage.TableAsync(name, cancellationToken);

    public Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => storage.ContainerAsync(Container, cancellationToken);
}
