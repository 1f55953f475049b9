using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace ResoSolidaire.Functions.Platform.Forms;

public static class FormsRegistration
{
    /// <summary>What the public website forms share: client identity, rate limits, body reading, duplicates, references, answers.</summary>
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
        services.AddSingleton<FormPipeline>();
        services.AddSingleton<FormResponder>();
        services.AddSingleton<ReferenceCounter>().AddTable(ReferenceCounter.TableName);
        services.AddSingleton<SubmissionLedger>();
        return services;
    }

    /// <summary>
    /// Declares the table a form module stores its submissions in (with their duplicate markers, SubmissionLedger):
    /// the forms' retention purge removes the markers past Retention:DedupRecords from every declared table.
    /// </summary>
    public static IServiceCollection AddFormTable(this IServiceCollection services, string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        services.AddSingleton(new FormTable(tableName));
        services.AddTable(tableName);
        return services;
    }
}

/// <summary>A table in which a form module keeps its submissions and their duplicate markers.</summary>
public sealed record FormTable(string Name);
