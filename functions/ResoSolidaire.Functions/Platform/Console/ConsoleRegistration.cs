namespace ResoSolidaire.Functions.Platform.Console;

public static class ConsoleRegistration
{
    /// <summary>The console's shell: server-rendered Razor components, its anti-forgery tokens, its home and assets.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddSingleton<ConsoleForms>();
        return services;
    }

    /// <summary>A module's entry in the console's navigation.</summary>
    public static IServiceCollection AddConsoleSection(this IServiceCollection services, string label, string path, int order) =>
        services.AddSingleton(new ConsoleSection(label, path, order));
}
