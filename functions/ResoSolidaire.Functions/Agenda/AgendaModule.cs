using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Agenda;

public static class AgendaModule
{
    /// <summary>The public agenda: proposals, moderation and published events (table AgendaEvents), its export and its personal data.</summary>
    public static IServiceCollection AddAgenda(this IServiceCollection services)
    {
        services.AddOptions<AgendaOptions>().BindConfiguration(AgendaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AgendaStorage>().AddTable(AgendaStorage.Events).AddTable(AgendaStorage.ProposalLog);
        services.AddSingleton<AgendaService>();
        services.AddSingleton<EventProposalForm>();
        services.AddSingleton<IPersonalDataStore, AgendaPersonalData>();
        services.AddSingleton<IExportDataset, AgendaEventsExport>();
        services.AddSingleton<IActivityFigures, AgendaFigures>();
        return services;
    }
}
