using Microsoft.AspNetCore.Http;

namespace ResoSolidaire.Functions.Staff;

/// <summary>
/// Who made a change, for the "created by" and timeline entries: the name App Service Authentication
/// puts in X-MS-CLIENT-PRINCIPAL-NAME in Azure (the local host sets it to the name of the function
/// key used). The platform strips the header from incoming requests, so a caller cannot forge it.
/// </summary>
public static class StaffPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL-NAME";

    public const string Unknown = "inconnu";

    public static string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Headers[HeaderName].ToString().Trim();
        if (name.Length == 0)
        {
            return Unknown;
        }

        return name.Length > 200 ? name[..200] : name;
    }
}
