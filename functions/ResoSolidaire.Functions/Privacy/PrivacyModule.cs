using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Privacy.Console;

namespace ResoSolidaire.Functions.Privacy;

public static class PrivacyModule
{
    /// <summary>The rights of access and erasure (RGPD articles 15 and 17) over every store the other modules contribute (IPersonalDataStore).</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddSingleton<PrivacyService>();
        services.AddSingleton<PrivacyRequests>().AddTable(PrivacyRequests.TableName);
        services.AddSingleton<IPersonalDataStore, PrivacyRequestsPersonalData>();
        services.AddSingleton<IConsoleAttention, PrivacyAttention>();
        services.AddConsoleSection("Données personnelles", PrivacyConsole.HomePath, 85, StaffRole.Administration);
        return services;
    }
}
