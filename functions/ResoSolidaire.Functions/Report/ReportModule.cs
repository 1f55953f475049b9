using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Report;

public static class ReportModule
{
    /// <summary>The yearly activity report (page, print, spreadsheet) over every module's figures (IActivityFigures); it owns no table.</summary>
    public static IServiceCollection AddReport(this IServiceCollection services)
    {
        services.AddSingleton<ActivityReport>();
        services.AddConsoleSection("Rapport d'activité", ReportConsole.Path, 70);
        return services;
    }
}
