using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Health;
using ResoSolidaire.Functions.Platform.Http;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Platform.Telemetry;
using ResoSolidaire.Functions.Privacy;
using ResoSolidaire.Functions.Staff;

namespace ResoSolidaire.Functions.Platform;

public static class ResoSolidaireRegistration
{
    /// <summary>Everything the app needs, in one call that Program.cs and the tests share.</summary>
    public static FunctionsApplicationBuilder AddResoSolidaire(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseMiddleware<ExceptionProblemMiddleware>();

        // The Azure SDK and HttpClient log every request at Information, headers and all: only their
        // warnings are worth an operator's attention, and our own logs say what failed.
        builder.Logging.AddFilter("Azure.Core", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // ASP.NET Core writes four to ten Information records a request (request starting and finished,
        // endpoint executing and executed, result written): the host's request row already says all of it,
        // and each record is a billed trace in Application Insights (docs/cost.md).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddTelemetry(builder.Configuration);
        builder.Services.AddResoSolidaireServices(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddResoSolidaireServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddStorage(configuration);
        services.AddMail();
        services.AddSingleton<HealthProbe>();
        services.AddForms(configuration);
        services.AddEmailHasher();
        services.AddNewsletter(configuration);
        services.AddExportsAndPrivacy(configuration);
        services.AddStaffTools(configuration);
        return services;
    }

    private static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(SendGridGateway.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<SendGridGateway>();
        services.AddSingleton(new SendRetry());
        services.AddSingleton<MailComposer>();
        services.AddSingleton<MailOutbox>().AddTable(MailOutbox.TableName);
        return services;
    }
}
