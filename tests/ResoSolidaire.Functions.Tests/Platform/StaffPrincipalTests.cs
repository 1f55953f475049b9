using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ResoSolidaire.Functions.Platform.Staff;

namespace ResoSolidaire.Functions.Tests.Platform;

/// <summary>The principal App Service Authentication hands the app, and the role checks built on it.</summary>
public sealed class StaffPrincipalTests
{
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    [Fact]
    public void APersonIsReadFromTheClaimsWithTheirDisplayNameObjectIdAndRoles()
    {
        var member = StaffPrincipal.Parse(Encode(
            ("name", "Camille Durand"), ("preferred_username", "camille@reso.example"), (ObjectIdClaim, "0b1c-oid"), ("roles", "Equipe")));

        Assert.NotNull(member);
        Assert.Equal("Camille Durand", member.Name);
        Assert.Equal("0b1c-oid", member.ObjectId);
        Assert.False(member.IsApplication);
        Assert.True(member.Holds(StaffRole.Team));
        Assert.False(member.Holds(StaffRole.Administration));
    }

    [Fact]
    public void APersonsMailboxIsTheEmailClaimElseAPreferredUsernameThatIsAnAddress()
    {
        var withEmail = StaffPrincipal.Parse(Encode(
            ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "Camille.Durand@Reso.Example"), ("name", "Camille Durand"),
            ("preferred_username", "cdurand@tenant.example"), (ObjectIdClaim, "1"), ("roles", "Equipe")))!;
        var withUsername = StaffPrincipal.Parse(Encode(("name", "Dominique"), ("preferred_username", "dominique@reso.example"), ("oid", "2")))!;
        var withNeither = StaffPrincipal.Parse(Encode(("name", "Alex"), ("preferred_username", "alex"), ("oid", "3")))!;

        Assert.Equal("Camille.Durand@reso.example", withEmail.Email?.Value);
        Assert.Equal("dominique@reso.example", withUsername.Email?.Value);
        Assert.Null(withNeither.Email);
    }

    [Fact]
    public void AdministrationIncludesTheDailyWork()
    {
        var member = StaffPrincipal.Parse(Encode(("name", "Dominique"), ("oid", "1"), ("roles", "Administration")))!;

        Assert.True(member.Holds(StaffRole.Team));
        Assert.True(member.Holds(StaffRole.Administration));
    }

    [Fact]
    public void RolesOfTheDeclaredRoleTypeCountAndAnApplicationIsNamedByItself()
    {
        var json = JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            claims = new[]
            {
                new { typ = "appid", val = "5f0e-app" },
                new { typ = "app_displayname", val = "Import de l'annuaire" },
                new { typ = "idtyp", val = "app" },
                new { typ = ObjectIdClaim, val = "sp-oid" },
                new { typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", val = "Equipe" },
            },
        });

        var member = StaffPrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)))!;

        Assert.True(member.IsApplication);
        Assert.Null(member.Email);
        Assert.Equal("Import de l'annuaire", member.Name);
        Assert.True(member.Holds(StaffRole.Team));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pas du base64 !")]
    [InlineData("bm90IGpzb24=")]
    [InlineData("eyJjbGFpbXMiOjF9")]
    public void AHeaderThatIsNotAPrincipalIsNobody(string header) => Assert.Null(StaffPrincipal.Parse(header));

    [Fact]
    public void APrincipalWithoutObjectIdIsNobody() =>
        Assert.Null(StaffPrincipal.Parse(Encode(("name", "Sans identifiant"), ("roles", "Administration"))));

    [Fact]
    public void ThePlainNameHeaderIsNeverTrusted()
    {
        var request = Request();
        request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = "Administration";

        Assert.Null(StaffPrincipal.Read(request));
        Assert.Equal(StaffPrincipal.Unknown, StaffPrincipal.Of(request));
        Assert.Equal(StatusCodes.Status401Unauthorized, StaffAccess.Deny(request, StaffRole.Team)!.StatusCode);
    }

    [Fact]
    public void TheTeamRoleIsRefusedAnAdministrationOperationInFrench()
    {
        var request = Request();
        request.Headers[StaffPrincipal.HeaderName] = Encode(("name", "Camille"), ("oid", "1"), ("roles", "Equipe"));

        var denied = StaffAccess.Deny(request, StaffRole.Administration);

        Assert.Null(StaffAccess.Deny(request, StaffRole.Team));
        Assert.NotNull(denied);
        Assert.Equal(StatusCodes.Status403Forbidden, denied.StatusCode);
        Assert.Contains("« Administration »", denied.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "cross-site", null, null, true)]
    [InlineData("POST", "same-site", null, null, true)]
    [InlineData("POST", "same-origin", null, null, false)]
    [InlineData("DELETE", null, "https://pirate.example", null, true)]
    [InlineData("PUT", null, "https://reso.example", null, false)]
    [InlineData("POST", null, null, null, false)]
    [InlineData("GET", "cross-site", null, null, false)]
    [InlineData("POST", "cross-site", null, "Bearer jeton", false)]
    public void AChangeFromAnotherSiteWithTheSessionCookieIsRefused(string method, string? fetchSite, string? origin, string? authorization, bool refused)
    {
        var request = Request();
        request.Method = method;
        request.Host = new HostString("reso.example");
        request.Headers[StaffPrincipal.HeaderName] = Encode(("name", "Camille"), ("oid", "1"), ("roles", "Equipe"));
        if (fetchSite is not null)
        {
            request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        Assert.Equal(refused, StaffAccess.IsCrossSiteChange(request));
        Assert.Equal(refused, StaffAccess.Deny(request, StaffRole.Team) is { StatusCode: StatusCodes.Status403Forbidden });
    }

    private static HttpRequest Request() => new DefaultHttpContext().Request;

    private static string Encode(params (string Type, string Value)[] claims)
    {
        var json = JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            name_typ = "name",
            role_typ = "roles",
            claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
        });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }
}
