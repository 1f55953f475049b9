namespace ResoSolidaire.Functions.Platform.Staff;

/// <summary>
/// Who made a change, for the "created by" and timeline entries: the name App Service Authentication
/// puts in X-MS-CLIENT-PRINCIPAL-NAME in Azure. With App Service Authentication on, the platform
/// strips a caller's copy of the header; with it off (and on the local host, which behaves like
/// Azure's host here) nothing fills or strips it, so the name is only as trustworthy as the caller.
/// The staff console issue replaces this with the validated X-MS-CLIENT-PRINCIPAL.
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
