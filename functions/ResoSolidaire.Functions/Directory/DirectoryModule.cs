using Microsoft.Extensions.Configuration;
using ResoSolidaire.Functions.Directory.Import;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Directory;

public static class DirectoryModule
{
    /// <summary>
    /// The directory of actors (table Actors) and its spreadsheet import; it contributes its actors to the
    /// newsletter's audience (recipients and the values to target them) and spotlight, its export and its personal data.
    /// </summary>
    public static IServiceCollection AddDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ActorStore>().AddTable(ActorStore.TableName);
        services.AddSingleton<ActorImporter>();
        services.AddSingleton<INewsletterAudienceSource, DirectoryAudienceSource>();
        services.AddSingleton<IAudienceCriteriaSource, DirectoryAudienceCriteria>();
        services.AddSingleton<ISpotlightDirectory, DirectorySpotlightSource>();
        services.AddSingleton<IPersonalDataStore, ActorPersonalData>();
        services.AddSingleton<IExportDataset, ActorsExport>();
        return services;
    }
}
