using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResoSolidaire.Functions.Agenda;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Exports;
using ResoSolidaire.Functions.Exports.Datasets;
using ResoSolidaire.Functions.Inbox;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Porteurs;

namespace ResoSolidaire.Functions.Privacy;

public static class PrivacyRegistration
{
    /// <summary>Staff exports, the audit log, the rights of access and erasure, and the retention purge.</summary>
    public static IServiceCollection AddExportsAndPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditLog>().AddTable(AuditLog.TableName);

        services.AddSingleton<IExportDataset, ContactMessagesExport>();
        services.AddSingleton<IExportDataset, PorteursExport>();
        services.AddSingleton<IExportDataset, ActorsExport>();
        services.AddSingleton<IExportDataset, SubscribersExport>();
        services.AddSingleton<IExportDataset, DeliveriesExport>();
        services.AddSingleton<IExportDataset, AgendaEventsExport>();
        services.AddSingleton<IExportDataset, AuditLogExport>();
        services.AddSingleton<ExportService>();

        // Each feature's personal data, in the order access and erasure visit them: the inbox finds its rows
        // through the contact messages, so it goes before them; the outbox last, as the others may queue mail.
        services.AddSingleton<IPersonalDataStore, InboxPersonalData>();
        services.AddSingleton<IPersonalDataStore, ContactPersonalData>();
        services.AddSingleton<IPersonalDataStore, PorteurPersonalData>();
        services.AddSingleton<IPersonalDataStore, ActorPersonalData>();
        services.AddSingleton<IPersonalDataStore, NewsletterPersonalData>();
        services.AddSingleton<IPersonalDataStore, AgendaPersonalData>();
        services.AddSingleton<IPersonalDataStore, FormsPersonalData>();
        services.AddSingleton<IPersonalDataStore, OutboxPersonalData>();
        services.AddSingleton<IPersonalDataStore, AuditPersonalData>();
        services.AddSingleton<PrivacyService>();
        services.AddSingleton<EmailHashMigrationService>();
        services.AddHostedService(provider => provider.GetRequiredService<EmailHashMigrationService>());
        return services;
    }
}
