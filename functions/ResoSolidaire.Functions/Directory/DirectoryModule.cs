using Microsoft.Extensions.Configuration;
using ResoSolidaire.Functions.Directory.Console;
using ResoSolidaire.Functions.Directory.Import;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Directory;

public static class DirectoryModule
{
    /// <summary>
    /// The directory of actors (table Actors), its vocabularies (table DirectoryTerms), its spreadsheet import and the
    /// import wizard's files (container annuaire-imports); it contributes its actors to the newsletter's audience
    /// (recipients and the values to target them) and spotlight, its export, its personal data and its console pages.
    /// </summary>
    public static IServiceCollection AddDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VocabularyStore>().AddTable(VocabularyStore.TableName);
        services.AddSingleton<ActorStore>().AddTable(ActorStore.TableName);
        services.AddSingleton<ActorImporter>();
        services.AddSingleton<VocabularyService>();
        services.AddSingleton<ImportStaging>().AddBlobContainer(ImportStaging.ContainerName);
        services.AddSingleton<ImportWizard>();
        services.AddSingleton<ImportRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<ImportRunner>());
        services.AddSingleton<IPersonalDataStore, ImportStagingPersonalData>();
        services.AddSingleton<INewsletterAudienceSource, DirectoryAudienceSource>();
        services.AddSingleton<IAudienceCriteriaSource, DirectoryAudienceCriteria>();
        services.AddSingleton<ISpotlightDirectory, DirectorySpotlightSource>();
        services.AddSingleton<IPersonalDataStore, ActorPersonalData>();
        services.AddSingleton<IExportDataset, ActorsExport>();
        services.AddSingleton<IActivityFigures, DirectoryFigures>();
        services.AddConsoleSection("Annuaire", DirectoryConsole.ListPath, 30);
        services.AddSingleton<IConsoleAttention, DirectoryAttention>();
        return services;
    }
}
