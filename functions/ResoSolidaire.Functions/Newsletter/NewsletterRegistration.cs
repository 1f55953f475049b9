using Microsoft.Extensions.Configuration;
using ResoSolidaire.Functions.Newsletter.Archive;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Console;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Newsletter.Webhook;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Newsletter;

public static class NewsletterRegistration
{
    /// <summary>
    /// The newsletter: subscriptions, editions, dispatch, archive and SendGrid's event webhook (tables Newsletter*,
    /// container newsletter); its exports, its personal data, and its console pages (editions, audience builder,
    /// delivery, archive, subscribers) with their home-page lines. Audience sources and the agenda of an edition come
    /// from the modules that contribute them (INewsletterAudienceSource, ISpotlightDirectory, AgendaService).
    /// </summary>
    public static IServiceCollection AddNewsletter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NewsletterOptions>().BindConfiguration(NewsletterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<NewsletterStorage>().AddBlobContainer(NewsletterStorage.Container)
            .AddTable(NewsletterStorage.Subscribers).AddTable(NewsletterStorage.Suppressions).AddTable(NewsletterStorage.Editions)
            .AddTable(NewsletterStorage.Batches).AddTable(NewsletterStorage.Ledger).AddTable(NewsletterStorage.WebhookEvents)
            .AddTable(NewsletterStorage.DeliveryEvents).AddTable(NewsletterStorage.AudienceChanges);
        services.AddSingleton<NewsletterLinks>();
        services.AddSingleton<SuppressionList>();
        services.AddSingleton<AudienceChanges>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<SubscriberDesk>();
        services.AddSingleton<INewsletterAudienceSource, SubscriberAudienceSource>();
        services.AddSingleton<AudienceCriteria>();
        services.AddSingleton<NewsletterAudience>();
        services.AddSingleton<EditionRenderer>();
        services.AddSingleton<EditionService>();
        services.AddSingleton<BatchComposer>();
        services.AddSingleton<NewsletterArchive>();
        services.AddSingleton<DeliveryReport>();
        services.AddSingleton<BatchResend>();
        services.AddSingleton<NewsletterDispatcher>();
        services.AddSingleton<EventWebhookVerifier>();
        services.AddSingleton<SendGridEventRecorder>();
        services.AddSingleton<IPersonalDataStore, NewsletterPersonalData>();
        services.AddSingleton<IExportDataset, SubscribersExport>();
        services.AddSingleton<IExportDataset, DeliveriesExport>();
        services.AddSingleton<IActivityFigures, NewsletterFigures>();
        services.AddSingleton<IConsoleAttention, NewsletterAttention>();
        services.AddConsoleSection("Lettre d'information", NewsletterPaths.List, 50);
        return services;
    }
}
