using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using ResoSolidaire.Functions.Platform.Tokens;

namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>
/// Anti-forgery for changes made with the session cookie of App Service Authentication (a browser sends that
/// cookie with any request, a forged cross-site form included): every console form carries a token signed for
/// the person and their session, checked by the function that receives it. A caller with a bearer token
/// (a script) sends no cookie a third site could borrow and needs none. Stateless, so it holds across
/// instances and restarts, unlike a key ring kept on one instance's disk.
/// </summary>
public sealed class ConsoleForms(SignedTokens tokens)
{
    public const string FieldName = "jeton";

    public const string SessionCookie = "AppServiceAuthSession";

    private const string Purpose = "console-form";

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public string Issue(HttpRequest request, StaffMember member)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(member);
        return tokens.Issue(Purpose, Subject(request, member), Lifetime);
    }

    /// <summary>True when the change may proceed: a bearer caller, or a same-site form with this person's token.</summary>
    public bool Accepts(HttpRequest request, StaffMember member, string? token)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(member);
        if (IsBearerCaller(request))
        {
            return true;
        }

        // A form from another site (or a sibling subdomain), as the browser says: refused before its token is even read.
        if (StaffAccess.IsCrossSiteChange(request))
        {
            return false;
        }

        var check = tokens.Verify(Purpose, token);
        return check.IsValid && string.Equals(check.Subject, Subject(request, member), StringComparison.Ordinal);
    }

    /// <summary>
    /// The door of every console form: the signed-in person with the role, then the form with this person's token.
    /// Refused, the answer is the sign-in redirect, the 403 page, or the page saying nothing was changed and offering
    /// to reopen <paramref name="page"/>.
    /// </summary>
    public async Task<ConsolePost> ReceiveAsync(HttpRequest request, StaffRole role, string page)
    {
        var gate = ConsoleGate.Enter(request, role);
        if (!gate.IsOpen)
        {
            return new ConsolePost(null, null, gate.Refusal);
        }

        var form = await ConsoleForm.ReadAsync(request).ConfigureAwait(false);
        return form is not null && Accepts(request, gate.Member, form.Value(FieldName))
            ? new ConsolePost(gate.Member, form, null)
            : new ConsolePost(null, null, ConsoleForm.Expired(gate.Member, page));
    }

    public static bool IsBearerCaller(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && !request.Cookies.ContainsKey(SessionCookie);

    private static string Subject(HttpRequest request, StaffMember member)
    {
        var session = request.Cookies[SessionCookie];
        var bound = string.IsNullOrEmpty(session)
            ? "-"
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(session)).AsSpan(0, 12));
        return member.ObjectId + ":" + bound;
    }
}

/// <summary>A console form received: its sender and fields, or the answer that refuses it.</summary>
public sealed record ConsolePost(StaffMember? Member, ConsoleForm? Form, ConsoleResult? Refusal)
{
    [MemberNotNullWhen(true, nameof(Member), nameof(Form))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsAccepted => Member is not null;
}
