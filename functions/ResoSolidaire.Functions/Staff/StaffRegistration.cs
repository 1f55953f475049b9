using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Directory.Import;
using ResoSolidaire.Functions.Inbox;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Porteurs.FollowUp;

namespace ResoSolidaire.Functions.Staff;

public static class StaffRegistration
{
    /// <summary>The staff tools: the directory of actors, the follow-up of porteurs de projet and the contact inbox.</summary>
    public static IServiceCollection AddStaffTools(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ActorStore>().AddTable(ActorStore.TableName);
        services.AddSingleton<ActorImporter>();
        services.AddSingleton<INewsletterAudienceSource, DirectoryAudienceSource>();
        services.AddSingleton<ISpotlightDirectory, DirectorySpotlightSource>();
        services.AddSingleton<CaseStore>().AddTable(CaseStore.TableName);
        services.AddSingleton<CaseFollowUp>();
        services.AddSingleton<ContactInbox>().AddTable(ContactInbox.TableName);
        return services;
    }
}
