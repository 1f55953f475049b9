namespace ResoSolidaire.Functions.Kernel;

public static class KernelRegistration
{
    /// <summary>The keyed hash of e-mail addresses, shared by every feature that keeps an address.</summary>
    public static IServiceCollection AddEmailHasher(this IServiceCollection services)
    {
        services.AddOptions<EmailHashOptions>().BindConfiguration(EmailHashOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EmailHasher>();
        return services;
    }
}
