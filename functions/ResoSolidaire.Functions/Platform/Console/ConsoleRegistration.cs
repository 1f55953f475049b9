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

    /// <summary>A module's entry in the console's navigation, for the people holding <paramref name="role"/>.</summary>
    public static IServiceCollection AddConsoleSection(this IServiceCollection services, string label, string path, int order, StaffRole role = StaffRole.Team) =>
        services.AddSingleton(new ConsoleSection(label, path, order, role));
}
