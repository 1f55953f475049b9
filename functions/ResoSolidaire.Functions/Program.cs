using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using ResoSolidaire.Functions;
using ResoSolidaire.Functions.Agenda;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Exports;
using ResoSolidaire.Functions.Inbox;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Platform;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Privacy;
using ResoSolidaire.Functions.Report;
using ResoSolidaire.Functions.Rooms;
using ResoSolidaire.Functions.Territory;

var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();
builder.AddPlatform();
builder.Services.AddResoSolidaireServices(builder.Configuration);

builder.Build().Run();

namespace ResoSolidaire.Functions
{
    /// <summary>The app, module by module (docs/architecture.md); the tests and benchmarks compose the same list.</summary>
    public static class ResoSolidaireApp
    {
        public static IServiceCollection AddResoSolidaireServices(this IServiceCollection services, IConfiguration configuration) =>
            services
                .AddPlatformServices(configuration)
                .AddConsole()
                .AddTerritory()
                .AddContact()
                .AddInbox()
                .AddPorteurs()
                .AddAgenda()
                .AddNewsletter(configuration)
                .AddDirectory(configuration) // after the newsletter: the audience reads the subscribers, then the directory
                .AddRooms()
                .AddExports()
                .AddPrivacy()
                .AddReport();
    }
}
