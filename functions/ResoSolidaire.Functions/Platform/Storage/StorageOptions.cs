using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Platform.Storage;

/// <summary>
/// Where the app keeps its tables and blobs. Locally a connection string (Azurite);
/// in Azure the two service URIs, reached with the app's managed identity.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty for a system-assigned one.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Prefix of every table and container name, so that tests (and parallel environments
    /// sharing an account) never see each other's data. Lower-case letters and digits only.
    /// </summary>
    [RegularExpression("^[a-z][a-z0-9]{0,15}$|^$", ErrorMessage = "Storage:NamePrefix must be empty or start with a letter and hold at most 16 lower-case letters and digits.")]
    public string NamePrefix { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasUris = TableServiceUri is not null && BlobServiceUri is not null;
        if (!hasConnectionString && !hasUris)
        {
            yield return new ValidationResult(
                "Storage is not configured: set Storage:ConnectionString (locally) or both Storage:TableServiceUri and Storage:BlobServiceUri (in Azure).",
                [nameof(ConnectionString), nameof(TableServiceUri), nameof(BlobServiceUri)]);
        }
    }
}
