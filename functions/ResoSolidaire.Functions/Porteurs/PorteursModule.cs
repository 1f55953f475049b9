using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;
using ResoSolidaire.Functions.Porteurs.Console;
using ResoSolidaire.Functions.Porteurs.FollowUp;

namespace ResoSolidaire.Functions.Porteurs;

public static class PorteursModule
{
    /// <summary>
    /// The porteurs de projet: the intake form (table PorteurIntakes, container of attachments), the follow-up of
    /// their cases (table PorteurCases), their mails, their export and their personal data.
    /// </summary>
    public static IServiceCollection AddPorteurs(this IServiceCollection services)
    {
        services.AddFormTable(PorteurForm.TableName);
        services.AddSingleton<AttachmentStore>().AddBlobContainer(AttachmentStore.ContainerName);
        services.AddSingleton<PorteurMails>();
        services.AddSingleton<PorteurService>();
        services.AddSingleton<IFormMailSweeper>(sp => sp.GetRequiredService<PorteurService>());
        services.AddSingleton<CaseStore>().AddTable(CaseStore.TableName);
        services.AddSingleton<CaseFollowUp>();
        services.AddSingleton<CaseOpening>();
        services.AddSingleton<IPersonalDataStore, PorteurPersonalData>();
        services.AddSingleton<IExportDataset, PorteursExport>();
        services.AddSingleton<IActivityFigures, PorteurFigures>();
        services.AddSingleton<IConsoleAttention, CasesAttention>();
        services.AddConsoleSection("Porteurs de projet", CasesConsole.ListPath, 20);
        return services;
    }
}
