using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Kernel;

/// <summary>The secret of <see cref="EmailHasher"/>, in the Privacy section (Privacy__EmailHashKey).</summary>
public sealed class EmailHashOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Key of the keyed hash (HMAC-SHA256) of e-mail addresses. A setting of its own rather than
    /// Forms:ClientHashKey or Tokens:SigningKey, because those may be rotated at little cost while this one keys
    /// the suppression list kept after an erasure: changing it lifts every opt-out. Never rotated.
    /// </summary>
    [Required(ErrorMessage = "Privacy:EmailHashKey is required (a random secret of at least 32 characters; a Key Vault reference in Azure).")]
    [MinLength(32, ErrorMessage = "Privacy:EmailHashKey must hold at least 32 characters.")]
    public string EmailHashKey { get; set; } = "";
}
