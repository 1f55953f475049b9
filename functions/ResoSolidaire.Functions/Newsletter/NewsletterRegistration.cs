using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ResoSolidaire.Functions.Agenda;
using ResoSolidaire.Functions.Newsletter.Archive;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Newsletter.Webhook;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Platform.Tokens;

namespace ResoSolidaire.Functions.Newsletter;

public static class NewsletterRegistration
{
    /// <summary>The newsletter, the agenda and the signed tokens of their links.</summary>
    public static IServiceCollection AddNewsletter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NewsletterOptions>().BindConfiguration(NewsletterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<SignedTokens>();

        // Shared with the forms (Platform/Forms, which binds FormsOptions); TryAdd keeps a single registration.
        services.TryAddSingleton<FormBodyReader>();
        services.TryAddSingleton<RateLimiter>();
        services.AddTable(RateLimiter.TableName);
        services.TryAddSingleton<ClientIdentity>();

        services.AddSingleton<NewsletterStorage>().AddBlobContainer(NewsletterStorage.Container)
            .AddTable(NewsletterStorage.Subscribers).AddTable(NewsletterStorage.Suppressions).AddTable(NewsletterStorage.Editions)
            .AddTable(NewsletterStorage.Batches).AddTable(NewsletterStorage.Ledger).AddTable(NewsletterStorage.WebhookEvents)
            .AddTable(NewsletterStorage.AgendaEvents);
        services.AddSingleton<NewsletterLinks>();
        services.AddSingleton<SuppressionList>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<INewsletterAudienceSource, SubscriberAudienceSource>();
        services.AddSingleton<NewsletterAudience>();
        services.AddSingleton<AgendaService>();
        services.AddSingleton<EditionRenderer>();
        services.AddSingleton<EditionService>();
        services.AddSingleton<BatchComposer>();
        services.AddSingleton<NewsletterArchive>();
        services.AddSingleton<DeliveryReport>();
        services.AddSingleton<NewsletterDispatcher>();
        services.AddSingleton<EventWebhookVerifier>();
        return services;
    }
}
