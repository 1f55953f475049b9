using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Polly;

namespace ResoSolidaire.Functions.Platform.Storage;

internal static class StorageRegistration
{
    /// <summary>
    /// Registers one TableServiceClient and one BlobServiceClient: by connection string when one is
    /// configured (Azurite locally), otherwise by service URI with the managed identity (Azure).
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<StorageNames>();

        // Each store declares its tables and containers (AddTable, AddBlobContainer): created once, at start-up.
        services.AddSingleton<StorageProvisioning>();
        services.AddHostedService<StorageProvisioningService>();
        services.AddResiliencePipeline(StorageResilience.PipelineKey, (pipeline, context) =>
        {
            pipeline.TimeProvider = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
            pipeline.AddRetry(StorageResilience.RetryOptions);
        });

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddAzureClients(clients =>
        {
            if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
            {
                clients.AddTableServiceClient(storage.ConnectionString);
                // Azurite 3.37 serves Blob API versions up to 2026-06-06; Azure serves it too.
                clients.AddBlobServiceClient(storage.ConnectionString)
                    .WithVersion(BlobClientOptions.ServiceVersion.V2026_06_06);
            }
            else if (storage.TableServiceUri is not null && storage.BlobServiceUri is not null)
            {
                clients.AddTableServiceClient(storage.TableServiceUri);
                clients.AddBlobServiceClient(storage.BlobServiceUri).WithVersion(BlobClientOptions.ServiceVersion.V2026_06_06);
                clients.UseCredential(CreateCredential(storage.ClientId));
            }

            clients.ConfigureDefaults(o =>
            {
                o.Retry.MaxRetries = 2;
                o.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
            });
        });
        return services;
    }

    private static ManagedIdentityCredential CreateCredential(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
