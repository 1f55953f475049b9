using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Directory;

/// <summary>Limits of the directory's spreadsheet import.</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>The largest spreadsheet accepted, in bytes (10 MiB holds about 50,000 typical rows).</summary>
    [Range(1024, 100 * 1024 * 1024, ErrorMessage = "Directory:ImportMaxBytes must be between 1 KiB and 100 MiB.")]
    public int ImportMaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most data rows one import may hold.</summary>
    [Range(1, 200_000, ErrorMessage = "Directory:ImportMaxRows must be between 1 and 200,000.")]
    public int ImportMaxRows { get; set; } = 20_000;

    /// <summary>How many batch transactions an import sends at once (each holds up to 100 actors of one partition).</summary>
    [Range(1, 32, ErrorMessage = "Directory:ImportParallelism must be between 1 and 32.")]
    public int ImportParallelism { get; set; } = 8;
}
