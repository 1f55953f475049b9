using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ResoSolidaire.LocalHost.Configuration;

namespace ResoSolidaire.LocalHost.Authentication;

/// <summary>
/// Who a request comes from, and how App Service Authentication (Easy Auth v2, Microsoft Entra ID
/// provider) shows it to the app: the X-MS-CLIENT-PRINCIPAL* headers and the <c>/.auth/me</c> answer.
/// </summary>
/// <remarks>
/// Formats follow what Azure sends for Entra ID v2 tokens (decoded headers published in
/// dasiths/NEasyAuthMiddleware#18 and MaximRouiller/MaximeRouiller.Azure.AppService.EasyAuth#4, the
/// Learn page "Work with user identities in Azure App Service authentication"): token claims go through
/// Easy Auth's default mapping (<c>email</c>, <c>oid</c>, <c>sub</c> become the long URIs below, <c>name</c>,
/// <c>preferred_username</c> and <c>roles</c> keep their names), and <c>name_typ</c>/<c>role_typ</c> are
/// the WS-Federation URIs for e-mail and role, even though the roles arrive as <c>roles</c> claims.
/// </remarks>
internal sealed record LocalIdentity(string Name, string ObjectId, string? Email, IReadOnlyList<string> Roles)
{
    public const string Provider = "aad";
    public const string EmailClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    public const string NameIdentifierClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
    public const string NameClaimType = EmailClaim;
    public const string RoleClaimType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string PrincipalIdpHeader = "X-MS-CLIENT-PRINCIPAL-IDP";

    public static LocalIdentity From(LocalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new LocalIdentity(user.Name, user.ObjectId, user.Email, user.Roles);
    }

    /// <summary>A person typed on the sign-in page: the same e-mail always gets the same object id.</summary>
    public static LocalIdentity Person(string name, string email, IReadOnlyList<string> roles)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("oid:" + email.ToUpperInvariant()));
        return new LocalIdentity(name, new Guid(hash.AsSpan(0, 16)).ToString("D"), email, roles);
    }

    /// <summary>
    /// X-MS-CLIENT-PRINCIPAL-NAME and <c>user_id</c>: a person's sign-in name (their e-mail here); for an
    /// application, whose token carries no user name, its configured name.
    /// </summary>
    public string PrincipalName => Email ?? Name;

    /// <summary>The claims as Easy Auth lists them, in the order of an Entra ID v2 token.</summary>
    public IReadOnlyList<(string Type, string Value)> Claims()
    {
        var claims = new List<(string, string)>();
        if (Email is not null)
        {
            claims.Add((EmailClaim, Email));
        }

        claims.Add(("name", Name));
        claims.Add((ObjectIdClaim, ObjectId));
        if (Email is not null)
        {
            claims.Add(("preferred_username", Email));
        }

        claims.AddRange(Roles.Select(role => ("roles", role)));

        // sub: pairwise for a person (never the object id), the object id itself in an application's token.
        claims.Add((NameIdentifierClaim, Email is null ? ObjectId : Subject()));
        claims.Add(("ver", "2.0"));
        return claims;
    }

    /// <summary>The X-MS-CLIENT-PRINCIPAL value: base64 of the UTF-8 JSON.</summary>
    public string EncodedPrincipal()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("auth_typ", Provider);
            WriteClaims(json, "claims");
            json.WriteString("name_typ", NameClaimType);
            json.WriteString("role_typ", RoleClaimType);
            json.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// The <c>/.auth/me</c> answer. Azure adds <c>access_token</c>, <c>id_token</c> and <c>expires_on</c>
    /// when its token store is on; there are no real tokens here, so they are left out.
    /// </summary>
    public void WriteMe(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartArray();
        json.WriteStartObject();
        json.WriteString("provider_name", Provider);
        WriteClaims(json, "user_claims");
        json.WriteString("user_id", PrincipalName);
        json.WriteEndObject();
        json.WriteEndArray();
    }

    public static bool IsEmail(string? value) =>
        value is { Length: > 2 and <= 254 }
        && IsHeaderSafe(value)
        && !value.Contains(' ', StringComparison.Ordinal)
        && value.IndexOf('@', StringComparison.Ordinal) is var at and > 0
        && at == value.LastIndexOf('@')
        && at < value.Length - 1;

    /// <summary>Printable ASCII only: what an HTTP header value can carry as is.</summary>
    public static bool IsHeaderSafe(string? value) => value is { Length: > 0 } && value.All(c => c is >= ' ' and <= '~');

    public static bool IsRole(string? value) =>
        value is { Length: > 0 and <= 100 } && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',');

    private void WriteClaims(Utf8JsonWriter json, string property)
    {
        json.WriteStartArray(property);
        foreach (var (type, value) in Claims())
        {
            json.WriteStartObject();
            json.WriteString("typ", type);
            json.WriteString("val", value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private string Subject()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("sub:" + ObjectId));
        return Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
