namespace ResoSolidaire.Functions.Privacy;

public static class PrivacyModule
{
    /// <summary>The rights of access and erasure (RGPD articles 15 and 17) over every store the other modules contribute (IPersonalDataStore).</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddSingleton<PrivacyService>();
        return services;
    }
}
