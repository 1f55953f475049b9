namespace ResoSolidaire.Functions.Exports;

public enum ExportFormat
{
    /// <summary>CSV for French Excel: UTF-8 with BOM, semicolons, dates dd/MM/yyyy HH:mm (Europe/Paris).</summary>
    Excel,

    /// <summary>Plain CSV: UTF-8 without BOM, commas, ISO 8601 dates in UTC.</summary>
    Csv,

    Xlsx,

    /// <summary>A JSON array of objects, streamed.</summary>
    Json,
}

public static class ExportFormats
{
    /// <summary>The format named in ?format= (default: CSV for French Excel); null when unknown.</summary>
    public static ExportFormat? Parse(string? value) => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "excel" or "csv-excel" => ExportFormat.Excel,
        "csv" => ExportFormat.Csv,
        "xlsx" => ExportFormat.Xlsx,
        "json" => ExportFormat.Json,
        _ => null,
    };

    public const string Names = "excel (par défaut : CSV pour Excel en français), csv, xlsx, json";

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Excel => "text/csv; charset=utf-8",
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/json; charset=utf-8",
    };

    public static string Extension(ExportFormat format) => format switch
    {
        ExportFormat.Xlsx => "xlsx",
        ExportFormat.Json => "json",
        _ => "csv",
    };

    public static string Name(ExportFormat format) => format.ToString().ToLowerInvariant();
}
