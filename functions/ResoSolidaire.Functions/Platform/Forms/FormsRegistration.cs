using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Platform.Forms;

public static class FormsRegistration
{
    /// <summary>The public website forms (contact, porteurs de projet) and what they share.</summary>
    public static IServiceCollection AddForms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FormsOptions>()
            .BindConfiguration(FormsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ClientIdentity>();

        // The worker's ASP.NET Core integration would move the last X-Forwarded-For entry into the
        // connection's address and drop it from the header; ClientIdentity counts hops on the header as
        // the front ends wrote it.
        services.PostConfigure<ForwardedHeadersOptions>(o => o.ForwardedHeaders &= ~ForwardedHeaders.XForwardedFor);
        services.AddSingleton<RateLimiter>().AddTable(RateLimiter.TableName);
        services.AddSingleton<FormBodyReader>();
        services.AddSingleton<FormGate>();
        services.AddSingleton<FormResponder>();
        services.AddSingleton<ReferenceCounter>().AddTable(ReferenceCounter.TableName);
        services.AddSingleton<SubmissionLedger>().AddTable(ContactForm.TableName).AddTable(PorteurForm.TableName);
        services.AddSingleton(_ => CommuneDirectory.Instance);

        services.AddSingleton<ContactMails>();
        services.AddSingleton<ContactService>();
        services.AddSingleton<IFormMailSweeper>(sp => sp.GetRequiredService<ContactService>());

        services.AddSingleton<AttachmentStore>().AddBlobContainer(AttachmentStore.ContainerName);
        services.AddSingleton<PorteurMails>();
        services.AddSingleton<PorteurService>();
        services.AddSingleton<IFormMailSweeper>(sp => sp.GetRequiredService<PorteurService>());
        return services;
    }
}
