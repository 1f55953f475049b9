using Microsoft.Azure.Functions.Worker.Builder;

namespace ResoSolidaire.Functions.Platform;

public static class ResoSolidaireRegistration
{
    public static FunctionsApplicationBuilder AddResoSolidaire(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder;
    }
}
