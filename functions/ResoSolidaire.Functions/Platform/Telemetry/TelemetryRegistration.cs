using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;

namespace ResoSolidaire.Functions.Platform.Telemetry;

internal static class TelemetryRegistration
{
    private const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// The worker sends its own logs and exceptions to Application Insights (the host keeps sending its request
    /// rows). Without APPLICATIONINSIGHTS_CONNECTION_STRING (locally, in tests) nothing is sent and nothing fails.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplicationInsightsTelemetryWorkerService(options =>
        {
            // As host.json's enableDependencyTracking: false, a row per storage call would be most of the bill
            // (docs/cost.md); event counters are metrics nobody reads.
            options.EnableDependencyTrackingTelemetryModule = false;
            options.EnableEventCounterCollectionModule = false;
            options.EnableAdaptiveSampling = false;
        });
        services.ConfigureFunctionsApplicationInsights();
        services.Configure<TelemetryConfiguration>(telemetry =>
        {
            // The sampling of host.json, for what the worker sends: 5 items a second, exceptions never sampled.
            telemetry.DefaultTelemetrySink.TelemetryProcessorChainBuilder
                .UseAdaptiveSampling(maxTelemetryItemsPerSecond: 5, excludedTypes: "Request;Exception")
                .Build();

            // The component refuses key-only ingestion: the worker authenticates with the app's managed identity,
            // the one the host uses (infra/app/api.bicep sets ClientId=...;Authorization=AAD).
            if (ManagedIdentityClientId(configuration[AuthenticationSetting]) is { } clientId)
            {
                telemetry.SetAzureTokenCredential(new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)));
            }
        });

        // The Application Insights provider adds a rule keeping only warnings and above, whatever the other
        // filters say. Removed, so that the worker's Information logs reach Application Insights as they did
        // through the host, under the same filters (AddResoSolidaire, docs/cost.md).
        services.Configure<LoggerFilterOptions>(options =>
        {
            var rule = options.Rules.FirstOrDefault(r =>
                r.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (rule is not null)
            {
                options.Rules.Remove(rule);
            }
        });
        return services;
    }

    private static string? ManagedIdentityClientId(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication))
        {
            return null;
        }

        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var kind) && kind.Equals("AAD", StringComparison.OrdinalIgnoreCase)
            && parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrWhiteSpace(clientId)
            ? clientId
            : null;
    }
}
