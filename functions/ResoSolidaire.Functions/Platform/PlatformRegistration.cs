using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using ResoSolidaire.Functions.Platform.Audit;
using ResoSolidaire.Functions.Platform.Health;
using ResoSolidaire.Functions.Platform.Telemetry;
using ResoSolidaire.Functions.Platform.Tokens;

namespace ResoSolidaire.Functions.Platform;

/// <summary>
/// What every module stands on, and nothing of any module: storage, mail and its outbox, the public-form pipeline,
/// signed tokens, health, the audit log, retention settings and the personal-data runners that visit what modules
/// contribute. Program.cs calls this first, then each module's AddX().
/// </summary>
public static class PlatformRegistration
{
    /// <summary>The worker's middleware and log filters.</summary>
    public static FunctionsApplicationBuilder AddPlatform(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseMiddleware<ExceptionProblemMiddleware>();

        // The Azure SDK and HttpClient log every request at Information, headers and all, and the SDK logs
        // every non-success answer at Warning, including the 409 and 412 that are our normal flow (an insert
        // that finds its row, an ETag race lost and retried): our own logs say what failed, with the stack.
        builder.Logging.AddFilter("Azure.Core", LogLevel.Error);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // ASP.NET Core writes four to ten Information records a request (request starting and finished,
        // endpoint executing and executed, result written): the host's request row already says all of it,
        // and each record is a billed trace in Application Insights (docs/cost.md).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddTelemetry(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddPlatformServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddStorage(configuration);
        services.AddMail();
        services.AddSingleton<HealthProbe>();
        services.AddForms(configuration);
        services.AddEmailHasher();
        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignedTokens>();

        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditLog>().AddTable(AuditLog.TableName);
        services.AddSingleton<IExportDataset, AuditLogExport>();
        services.AddSingleton<IPersonalDataStore, FormsPersonalData>();
        services.AddSingleton<IPersonalDataStore, OutboxPersonalData>();
        services.AddSingleton<IPersonalDataStore, AuditPersonalData>();
        services.AddSingleton<EmailHashMigrationService>();
        services.AddHostedService(provider => provider.GetRequiredService<EmailHashMigrationService>());
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
