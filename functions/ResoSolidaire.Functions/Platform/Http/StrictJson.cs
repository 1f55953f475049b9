using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ResoSolidaire.Functions.Platform.Http;

/// <summary>
/// The JSON settings every request body is bound with: web casing, and unknown properties refused (a
/// misspelt field must not be silently dropped).
/// </summary>
public static class StrictJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };
}
