namespace ResoSolidaire.Functions.Territory;

public static class TerritoryModule
{
    /// <summary>The communes, EPCI and quartiers of the territory (reference data shipped with the app, no storage).</summary>
    public static IServiceCollection AddTerritory(this IServiceCollection services)
    {
        services.AddSingleton(_ => CommuneDirectory.Instance);
        return services;
    }
}
