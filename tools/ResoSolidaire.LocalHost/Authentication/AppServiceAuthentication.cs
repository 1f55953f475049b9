using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using ResoSolidaire.LocalHost.Configuration;
using ResoSolidaire.LocalHost.Http;

namespace ResoSolidaire.LocalHost.Authentication;

/// <summary>
/// Emulates App Service Authentication (Easy Auth v2) with the Microsoft Entra ID provider, in front of
/// everything the host serves, as the Static Web Apps CLI emulates its own: <c>/.auth/login/aad</c> shows
/// a development sign-in page instead of Entra ID's, <c>/.auth/me</c> and <c>/.auth/logout</c> answer as
/// Azure's do, and every other request loses the caller's X-MS-CLIENT-PRINCIPAL* and X-MS-TOKEN-AAD-*
/// headers, then gets the platform's own when a session cookie or a configured bearer token identifies
/// the caller. Unauthenticated requests go through ("Allow anonymous requests"): the app decides.
/// </summary>
internal sealed class AppServiceAuthentication
{
    public const string SessionCookie = "AppServiceAuthSession";
    public const string LoginPath = "/.auth/login/aad";

    /// <summary>The staff roles the app knows, offered on the sign-in page with any configured ones.</summary>
    private static readonly string[] _knownRoles = ["Equipe", "Administration"];

    private static readonly string[] _platformHeaderPrefixes = ["X-MS-CLIENT-PRINCIPAL", "X-MS-TOKEN-AAD-"];

    private readonly LocalAuthentication _settings;
    private readonly AuthSessions _sessions;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<LocalUser> _people;
    private readonly IReadOnlyList<string> _roles;

    public AppServiceAuthentication(LocalAuthentication settings, AuthSessions sessions, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _settings = settings;
        _sessions = sessions;
        _logger = loggerFactory.CreateLogger("Host.Authentication");
        _people = [.. settings.Users.Where(u => !u.IsApplication)];
        _roles = [.. _knownRoles.Concat(settings.Users.SelectMany(u => u.Roles)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The middleware: answers <c>/.auth/*</c> itself, and sets who the caller is on everything else.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Request.Path.StartsWithSegments("/.auth", StringComparison.OrdinalIgnoreCase, out var rest))
        {
            await HandleAuthAsync(context, rest.Value?.TrimEnd('/') ?? string.Empty).ConfigureAwait(false);
            return;
        }

        var headers = context.Request.Headers;
        foreach (var name in headers.Keys.Where(IsPlatformHeader).ToList())
        {
            headers.Remove(name);
        }

        var (identity, refused) = Authenticate(context);
        if (refused)
        {
            await InvalidTokenAsync(context).ConfigureAwait(false);
            return;
        }

        if (identity is not null)
        {
            headers[LocalIdentity.PrincipalHeader] = identity.EncodedPrincipal();
            headers[LocalIdentity.PrincipalIdHeader] = identity.ObjectId;
            headers[LocalIdentity.PrincipalNameHeader] = identity.PrincipalName;
            headers[LocalIdentity.PrincipalIdpHeader] = LocalIdentity.Provider;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// A path the browser can only take as this site's: one leading "/", not "//" or "/\" (another host
    /// for browsers), printable ASCII only (browsers drop tabs and newlines, which would turn "/\t/x" into "//x").
    /// </summary>
    public static bool IsLocalPath(string? path) =>
        path is { Length: > 0 }
        && path[0] == '/'
        && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'))
        && path.All(c => c is > ' ' and <= '~');

    private static bool IsPlatformHeader(string name) =>
        _platformHeaderPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private Task HandleAuthAsync(HttpContext context, string path)
    {
        var method = context.Request.Method;
        return (path.ToUpperInvariant(), method) switch
        {
            ("/LOGIN/AAD", "GET") => ShowSignInAsync(context),
            ("/LOGIN/AAD", "POST") => SignInAsync(context),
            ("/ME", "GET") => MeAsync(context),
            ("/LOGOUT", "GET") => SignOutAsync(context),
            _ => Problems.WriteAsync(
                context,
                StatusCodes.Status404NotFound,
                Problems.TitleFor(StatusCodes.Status404NotFound),
                "L'authentification App Service locale répond à GET et POST /.auth/login/aad, GET /.auth/me et GET /.auth/logout."),
        };
    }

    /// <summary>A bearer token wins over the session cookie; a bearer token that names nobody is refused.</summary>
    private (LocalIdentity? Identity, bool Refused) Authenticate(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        if (!StringValues.IsNullOrEmpty(authorization)
            && authorization.ToString() is var value
            && value.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase)
            && (value.Length == 6 || value[6] == ' '))
        {
            var user = FindByToken(value[6..].Trim());
            return user is null ? (null, true) : (LocalIdentity.From(user), false);
        }

        return (_sessions.Find(context.Request.Cookies[SessionCookie]), false);
    }

    private LocalUser? FindByToken(string presented)
    {
        if (presented.Length == 0)
        {
            return null;
        }

        // Every token is compared, and hashed first, so neither the time taken nor lengths tell anything.
        Span<byte> left = stackalloc byte[32];
        Span<byte> right = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), left);
        LocalUser? found = null;
        foreach (var user in _settings.Users)
        {
            if (user.Token is { } token)
            {
                SHA256.HashData(Encoding.UTF8.GetBytes(token), right);
                if (CryptographicOperations.FixedTimeEquals(left, right))
                {
                    found ??= user;
                }
            }
        }

        return found;
    }

    private Task ShowSignInAsync(HttpContext context)
    {
        var returnPath = context.Request.Query[SignInPage.ReturnField].ToString();
        return WritePageAsync(context, StatusCodes.Status200OK, IsLocalPath(returnPath) ? returnPath : "/", SignInEntry.Empty, []);
    }

    private async Task SignInAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await Problems.WriteAsync(
                context,
                StatusCodes.Status415UnsupportedMediaType,
                Problems.TitleFor(StatusCodes.Status415UnsupportedMediaType),
                "Envoyez le formulaire de la page de connexion (application/x-www-form-urlencoded).").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var requested = form[SignInPage.ReturnField].ToString();
        var returnPath = IsLocalPath(requested) ? requested : "/";
        var choice = form[SignInPage.UserField].ToString();
        var entry = new SignInEntry(form[SignInPage.NameField].ToString().Trim(), form[SignInPage.EmailField].ToString().Trim(), [.. form[SignInPage.RolesField].OfType<string>()]);

        var errors = new List<SignInError>();
        LocalIdentity? identity = null;
        if (string.Equals(choice, SignInPage.OtherPerson, StringComparison.Ordinal) || _people.Count == 0)
        {
            identity = AnotherPerson(entry, errors);
        }
        else if (_people.FirstOrDefault(p => string.Equals(p.ObjectId, choice, StringComparison.OrdinalIgnoreCase)) is { } person)
        {
            identity = LocalIdentity.From(person);
        }
        else
        {
            errors.Add(new SignInError($"{SignInPage.UserField}-0", "Choisissez un des comptes configurés."));
        }

        if (identity is null)
        {
            await WritePageAsync(context, StatusCodes.Status400BadRequest, returnPath, entry, errors).ConfigureAwait(false);
            return;
        }

        _sessions.Close(context.Request.Cookies[SessionCookie]);
        context.Response.Cookies.Append(SessionCookie, _sessions.Open(identity), CookieOptions(context));
        _logger.LogInformation("Connexion de développement ouverte ({Kind}).", identity.Email is null ? "application" : "personne");
        Redirect(context, returnPath);
    }

    private LocalIdentity? AnotherPerson(SignInEntry entry, List<SignInError> errors)
    {
        if (entry.Name.Length == 0)
        {
            errors.Add(new SignInError(SignInPage.NameField, "Indiquez le nom."));
        }
        else if (entry.Name.Length > 200 || entry.Name.Any(char.IsControl))
        {
            errors.Add(new SignInError(SignInPage.NameField, "Le nom doit faire 200 caractères au plus, sans caractère de contrôle."));
        }

        if (entry.Email.Length == 0)
        {
            errors.Add(new SignInError(SignInPage.EmailField, "Indiquez l'adresse électronique."));
        }
        else if (!LocalIdentity.IsEmail(entry.Email))
        {
            errors.Add(new SignInError(SignInPage.EmailField, "Indiquez une adresse électronique valide, comme camille.martin@exemple.fr."));
        }

        if (entry.Roles.Any(role => !_roles.Contains(role, StringComparer.Ordinal)))
        {
            errors.Add(new SignInError("role-0", "Choisissez des rôles de la liste."));
        }

        return errors.Count > 0 ? null : LocalIdentity.Person(entry.Name, entry.Email, [.. entry.Roles.Distinct(StringComparer.Ordinal)]);
    }

    private async Task MeAsync(HttpContext context)
    {
        var (identity, refused) = Authenticate(context);
        if (refused)
        {
            await InvalidTokenAsync(context).ConfigureAwait(false);
            return;
        }

        if (identity is null)
        {
            await Problems.WriteAsync(
                context,
                StatusCodes.Status401Unauthorized,
                "Non connecté",
                $"Aucune session : connectez-vous sur {LoginPath}.").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        identity.WriteMe(json);
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private Task SignOutAsync(HttpContext context)
    {
        _sessions.Close(context.Request.Cookies[SessionCookie]);
        context.Response.Cookies.Delete(SessionCookie, CookieOptions(context));
        var requested = context.Request.Query["post_logout_redirect_uri"].ToString();
        Redirect(context, IsLocalPath(requested) ? requested : "/");
        return Task.CompletedTask;
    }

    private Task InvalidTokenAsync(HttpContext context)
    {
        _logger.LogWarning("Jeton Bearer inconnu refusé ({Method} {Path}).", context.Request.Method, context.Request.Path);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Task.CompletedTask;
        });
        return Problems.WriteAsync(
            context,
            StatusCodes.Status401Unauthorized,
            "Non autorisé",
            "Ce jeton (Authorization: Bearer) ne correspond à aucun utilisateur de LocalAuthentication.Users. Envoyez le Token d'un utilisateur configuré, ou aucun en-tête Authorization.");
    }

    private Task WritePageAsync(HttpContext context, int status, string returnPath, SignInEntry entry, IReadOnlyList<SignInError> errors)
    {
        var model = new SignInPageModel(returnPath, _people, _roles, _sessions.Find(context.Request.Cookies[SessionCookie]), entry, errors);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return response.WriteAsync(SignInPage.Render(model), Encoding.UTF8, context.RequestAborted);
    }

    private static void Redirect(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = location;
        context.Response.Headers.CacheControl = "no-store";
    }

    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Secure = context.Request.IsHttps,
        IsEssential = true,
    };
}
