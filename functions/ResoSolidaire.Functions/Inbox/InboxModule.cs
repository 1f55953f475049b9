using ResoSolidaire.Functions.Inbox.Console;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Inbox;

public static class InboxModule
{
    /// <summary>The staff's inbox of contact messages: their handling (table InboxHandling), its export and its personal data.</summary>
    public static IServiceCollection AddInbox(this IServiceCollection services)
    {
        services.AddSingleton<ContactInbox>().AddTable(ContactInbox.TableName);
        services.AddSingleton<IPersonalDataStore, InboxPersonalData>();
        services.AddSingleton<IExportDataset, ContactMessagesExport>();
        services.AddSingleton<IActivityFigures, ContactFigures>();
        services.AddSingleton<IConsoleAttention, InboxAttention>();
        services.AddConsoleSection("Messages", InboxConsole.ListPath, 10);
        return services;
    }
}
