using ResoSolidaire.Functions.Agenda.Console;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Agenda;

public static class AgendaModule
{
    /// <summary>
    /// The public agenda: proposals, moderation and published events (table AgendaEvents), its export, its personal
    /// data, and its moderation queue in the staff console with its home-page line.
    /// </summary>
    public static IServiceCollection AddAgenda(this IServiceCollection services)
    {
        services.AddOptions<AgendaOptions>().BindConfiguration(AgendaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AgendaStorage>().AddTable(AgendaStorage.Events).AddTable(AgendaStorage.ProposalLog);
        services.AddSingleton<AgendaService>();
        services.AddSingleton<EventProposalForm>();
        services.AddSingleton<IPersonalDataStore, AgendaPersonalData>();
        services.AddSingleton<IExportDataset, AgendaEventsExport>();
        services.AddSingleton<IActivityFigures, AgendaFigures>();
        services.AddSingleton<IConsoleAttention, AgendaAttention>();
        services.AddConsoleSection("Agenda", AgendaConsole.ListPath, 40);
        return services;
    }
}
