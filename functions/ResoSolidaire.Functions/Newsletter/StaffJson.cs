using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>JSON of the staff endpoints: web casing, unknown properties refused.</summary>
public static class StaffJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}
