using ResoSolidaire.Functions.Exports.Console;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Exports;

public static class ExportsModule
{
    /// <summary>Staff exports (Excel CSV, CSV, XLSX, JSON) of every dataset the other modules contribute (IExportDataset).</summary>
    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        services.AddSingleton<ExportService>();
        services.AddConsoleSection("Exports", ExportsConsole.ListPath, 80, StaffRole.Administration);
        return services;
    }
}
