using ResoSolidaire.Functions.Platform.Tokens;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>A signed link checked for its purpose: its token, the subject it names, and the form posted with it if any.</summary>
public sealed record CheckedLink(string Token, string Subject, IFormCollection? Form);

/// <summary>What the newsletter's public link endpoints share: token reading, refusals of a link as problems or pages.</summary>
public static class PublicRequests
{
    private const int MaxSmallFormBytes = 8 * 1024;

    /// <summary>The token of a link: in the query (a link opened, a one-click POST) or in the posted form (the page's button).</summary>
    public static async Task<(string? Token, IFormCollection? Form)> ReadTokenAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IFormCollection? form = null;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType && (request.ContentLength ?? 0) <= MaxSmallFormBytes)
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        }

        var token = request.Query["token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            token = form?["token"].ToString();
        }

        return (string.IsNullOrEmpty(token) ? null : token, form);
    }

    /// <summary>
    /// Reads the token of a link and checks it was signed for <paramref name="purpose"/>: a link that is not is
    /// refused (a page or a problem), one that is goes to <paramref name="handle"/>.
    /// </summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> WithLinkAsync(
        HttpRequest request,
        SignedTokens tokens,
        string purpose,
        Func<CheckedLink, Task<Results<ContentHttpResult, ProblemHttpResult>>> handle)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(handle);
        var (token, form) = await ReadTokenAsync(request).ConfigureAwait(false);
        var check = tokens.Verify(purpose, token);
        return check.IsValid ? await handle(new CheckedLink(token!, check.Subject!, form)).ConfigureAwait(false) : RefuseToken(request, check);
    }

    /// <summary>The same for a link that opens a page and changes nothing.</summary>
    public static Task<Results<ContentHttpResult, ProblemHttpResult>> WithLinkAsync(HttpRequest request, SignedTokens tokens, string purpose, Func<CheckedLink, ContentHttpResult> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return WithLinkAsync(request, tokens, purpose, link => Task.FromResult<Results<ContentHttpResult, ProblemHttpResult>>(page(link)));
    }

    /// <summary>A browser gets a French page; a mail client or a script gets a problem document.</summary>
    public static bool WantsHtml(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }

    public static Results<ContentHttpResult, ProblemHttpResult> RefuseToken(HttpRequest request, TokenCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var expired = check.Status == TokenStatus.Expired;
        if (WantsHtml(request))
        {
            return Pages.InvalidLink(expired);
        }

        return expired
            ? Problems.Problem(StatusCodes.Status410Gone, "Ce lien a expiré.", "Recommencez la démarche depuis le site de Réso Solidaire.")
            : Problems.Problem(StatusCodes.Status400BadRequest, "Ce lien n'est pas valable.", "Le jeton est absent, incomplet, ou n'a pas été émis pour cette action.");
    }

    public static ContentHttpResult Html(string title, string body, int status = StatusCodes.Status200OK) => Pages.Page(title, body, status);
}
