using System.Buffers.Text;

namespace ResoSolidaire.Functions.Platform.Staff;

/// <summary>The two app roles of the Entra application, as their values appear in the <c>roles</c> claim.</summary>
public enum StaffRole
{
    /// <summary>« Équipe »: the daily work (inbox, cases, directory, newsletter, agenda).</summary>
    Team,

    /// <summary>« Administration »: erasure, exports of personal data, vocabularies, keys; includes the daily work.</summary>
    Administration,
}

/// <summary>The person, or the application, that App Service Authentication signed in.</summary>
/// <param name="Name">What the timelines and the audit log show: the display name, else the user name, else the application's name.</param>
/// <param name="ObjectId">The Entra object id (the <c>oid</c> claim): stable when a name changes.</param>
/// <param name="Roles">The values of its app roles (<see cref="TeamRoleValue"/>, <see cref="AdministrationRoleValue"/>).</param>
/// <param name="IsApplication">A script or a managed identity holding an app role, not a person.</param>
public sealed record StaffMember(string Name, string ObjectId, IReadOnlySet<string> Roles, bool IsApplication)
{
    public const string TeamRoleValue = "Equipe";

    public const string AdministrationRoleValue = "Administration";

    /// <summary>Administration includes the daily work.</summary>
    public bool Holds(StaffRole role) => role switch
    {
        StaffRole.Team => Roles.Contains(TeamRoleValue) || Roles.Contains(AdministrationRoleValue),
        StaffRole.Administration => Roles.Contains(AdministrationRoleValue),
        _ => false,
    };

    /// <summary>The role's name as staff read it.</summary>
    public static string Label(StaffRole role) => role == StaffRole.Administration ? "Administration" : "Équipe";

    /// <summary>
    /// The person's own mailbox, when the principal names one (the <c>email</c> claim, else a
    /// <c>preferred_username</c> or UPN that is an address); null for an application. Where a test mail goes.
    /// </summary>
    public EmailAddress? Email { get; init; }
}

/// <summary>
/// Who is calling a staff route, read from the <c>X-MS-CLIENT-PRINCIPAL</c> header that App Service
/// Authentication sets after validating a session cookie or a bearer token (base64 of
/// <c>{"auth_typ", "claims": [{"typ", "val"}], "name_typ", "role_typ"}</c>). The platform removes any copy a
/// caller sends, and so does the local host that emulates it; the plain <c>-NAME</c> header is never read.
/// When the app runs in App Service with authentication off (<c>WEBSITE_AUTH_ENABLED</c> not true), nothing
/// strips a forged header, so no principal is trusted at all.
/// </summary>
public static class StaffPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    public const string Unknown = "inconnu";

    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    private const string EmailClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

    private const string UpnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

    private const int MaxHeaderLength = 16 * 1024;

    private static readonly object CacheKey = new();

    /// <summary>The signed-in caller, or null when there is none (or it cannot be trusted).</summary>
    public static StaffMember? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = request.HttpContext.Items;
        if (items.TryGetValue(CacheKey, out var cached))
        {
            return cached as StaffMember;
        }

        var member = PlatformTrustsHeader() ? Parse(request.Headers[HeaderName].ToString()) : null;
        items[CacheKey] = member;
        return member;
    }

    /// <summary>The caller's name for "created by" and timeline entries.</summary>
    public static string Of(HttpRequest request) => Read(request)?.Name ?? Unknown;

    /// <summary>The signed-in caller of a function that passed <see cref="StaffAccess.Deny"/>: a change is recorded under them.</summary>
    public static StaffMember Required(HttpRequest request) =>
        Read(request) ?? throw new InvalidOperationException("A staff function read its caller before checking access.");

    /// <summary>Decodes the header's value; null when it is absent or not a principal.</summary>
    public static StaffMember? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > MaxHeaderLength)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(header.Trim());
        }
        catch (FormatException)
        {
            if (!Base64Url.IsValid(header.Trim()))
            {
                return null;
            }

            bytes = Base64Url.DecodeFromChars(header.Trim());
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return FromClaims(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StaffMember? FromClaims(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var nameType = Text(root, "name_typ");
        var roleType = Text(root, "role_typ");
        var values = new List<(string Type, string Value)>();
        foreach (var claim in claims.EnumerateArray())
        {
            if (claim.ValueKind == JsonValueKind.Object && Text(claim, "typ") is { } typ && Text(claim, "val") is { } val)
            {
                values.Add((typ, val));
            }
        }

        string? First(params string?[] types) =>
            types.Where(t => t is not null).Select(t => values.FirstOrDefault(v => v.Type == t).Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        var roles = values
            .Where(v => v.Type == "roles" || (roleType is not null && v.Type == roleType))
            .Select(v => v.Value.Trim())
            .ToHashSet(StringComparer.Ordinal);
        var objectId = First(ObjectIdClaim, "oid");
        var person = First("name", nameType, "preferred_username", UpnClaim);
        var application = First("app_displayname", "azp", "appid");
        var isApplication = First("idtyp") == "app" || (person is null && application is not null);
        var name = isApplication ? application : person;
        if (objectId is null || name is null)
        {
            return null;
        }

        // Easy Auth maps a token's optional email claim to the long URI; Entra's preferred_username is usually the address.
        var email = isApplication
            ? null
            : new[] { EmailClaim, "email", "preferred_username", UpnClaim }
                .SelectMany(type => values.Where(v => v.Type == type).Select(v => v.Value))
                .Select(text => EmailAddress.TryParse(text, out var address) ? address : null)
                .FirstOrDefault(address => address is not null);
        return new StaffMember(Shorten(name), Shorten(objectId), roles, isApplication) { Email = email };
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length > 200 ? trimmed[..200] : trimmed;
    }

    /// <summary>
    /// In App Service (<c>WEBSITE_SITE_NAME</c> set) the header is trusted only with App Service Authentication on;
    /// elsewhere (the local host, which strips and injects it) it is.
    /// </summary>
    private static bool PlatformTrustsHeader() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WEBSITE_SITE_NAME"))
        || string.Equals(Environment.GetEnvironmentVariable("WEBSITE_AUTH_ENABLED"), "True", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The check every staff function makes first: signed in, and holding the operation's role.</summary>
public static class StaffAccess
{
    /// <summary>Null when the caller may go on; otherwise the French problem to answer (401 or 403).</summary>
    public static ProblemHttpResult? Deny(HttpRequest request, StaffRole role)
    {
        var member = StaffPrincipal.Read(request);
        if (member is null)
        {
            return Problems.Problem(
                StatusCodes.Status401Unauthorized,
                "Connectez-vous à l'outil de l'équipe.",
                "Connectez-vous avec votre compte de l'association (/.auth/login/aad) ; un script utilise un jeton d'accès Entra ID (Authorization: Bearer).");
        }

        if (!member.Holds(role))
        {
            return Problems.Problem(
                StatusCodes.Status403Forbidden,
                "Cette action n'est pas ouverte à votre compte.",
                $"Elle demande le rôle « {StaffMember.Label(role)} ». Demandez-le à une personne de l'administration de l'association.");
        }

        return IsCrossSiteChange(request)
            ? Problems.Problem(
                StatusCodes.Status403Forbidden,
                "Cette modification vient d'un autre site.",
                "Un navigateur connecté à l'outil de l'équipe ne peut modifier les données que depuis l'outil lui-même ; un script utilise un jeton d'accès (Authorization: Bearer).")
            : null;
    }

    /// <summary>
    /// A change (not GET or HEAD) carried by a browser's session cookie from another site: a browser says where a
    /// request comes from (<c>Sec-Fetch-Site</c>, else <c>Origin</c>), and a third site's page cannot hide it.
    /// A bearer token is never sent by a browser on its own, so a script's call is not concerned.
    /// </summary>
    public static bool IsCrossSiteChange(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return !site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) && !site.Equals("none", StringComparison.OrdinalIgnoreCase);
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0
            && !(Uri.TryCreate(origin, UriKind.Absolute, out var from) && string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

}
