using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Platform.Tokens;

/// <summary>The key that signs the tokens carried by links in mails (confirm, unsubscribe, preferences, preview).</summary>
public sealed class TokenOptions : IValidatableObject
{
    public const string Section = "Tokens";

    /// <summary>Base64 of at least 32 random bytes; a Key Vault reference in Azure.</summary>
    [Required(ErrorMessage = "Tokens:SigningKey is required (base64 of at least 32 random bytes; a Key Vault reference in Azure).")]
    public string SigningKey { get; set; } = "";

    internal byte[] KeyBytes()
    {
        try
        {
            return Convert.FromBase64String(SigningKey);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(SigningKey) && KeyBytes().Length < 32)
        {
            yield return new ValidationResult("Tokens:SigningKey must be base64 of at least 32 bytes.", [nameof(SigningKey)]);
        }
    }
}
