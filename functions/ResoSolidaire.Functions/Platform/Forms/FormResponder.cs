using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Net.Http.Headers;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// Answers a form post the way its sender can read it: JSON and problem documents for scripts (a JSON
/// body, or <c>Accept: application/json</c>); for a browser's plain form post (url-encoded or multipart),
/// a 303 to the thank-you page or a French HTML page listing the errors. The one responder of every
/// anonymous form (<see cref="FormPipeline"/>).
/// </summary>
public sealed class FormResponder(IOptions<FormsOptions> options)
{
    /// <summary>The hidden field a page may use to choose its thank-you page (on an allowed origin only).</summary>
    public const string RedirectField = "redirection";

    /// <summary>System.Text.Encodings.Web's HTML encoder, letting letters through (the page is UTF-8): accents stay readable.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly FormsOptions _options = options.Value;

    public Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult> Respond(
        HttpRequest request,
        FormResult result,
        string formName,
        IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(labels);
        if (result.Rejection?.RetryAfter is { } retryAfter)
        {
            request.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var html = result.Kind is BodyKind.UrlEncoded or BodyKind.Multipart && !WantsJson(request);
        if (result.Receipt is { } receipt)
        {
            return html
                ? new SeeOtherHttpResult(ThankYouUrl(result.Redirect, formName, receipt.Reference))
                : TypedResults.Created((string?)null, receipt);
        }

        if (result.Pending is { } pending)
        {
            return html
                ? new SeeOtherHttpResult(ThankYouUrl(result.Redirect, formName, reference: null))
                : TypedResults.Accepted((string?)null, pending);
        }

        var rejection = result.Rejection ?? throw new ArgumentException("A result holds a receipt, a pending receipt or a rejection.", nameof(result));
        if (html)
        {
            return TypedResults.Content(ErrorPage(request, rejection, labels), "text/html; charset=utf-8", Encoding.UTF8, rejection.Status);
        }

        if (rejection.Status == StatusCodes.Status400BadRequest && rejection.Errors is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var extensions = rejection.Errors is { Count: > 0 } ? new Dictionary<string, object?> { ["errors"] = rejection.Errors } : null;
        return TypedResults.Problem(rejection.Detail, statusCode: rejection.Status, title: rejection.Title, extensions: extensions);
    }

    private static bool WantsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepts)
        && accepts.Any(a => a.MediaType.Value is "application/json" or "application/problem+json");

    internal Uri ThankYouUrl(string? requested, string formName, string? reference)
    {
        var target = Uri.TryCreate(requested, UriKind.Absolute, out var asked) && _options.IsAllowed(asked) ? asked : _options.ThankYouUrl!;
        var builder = new UriBuilder(target);
        var query = builder.Query.TrimStart('?');
        var extra = $"formulaire={Uri.EscapeDataString(formName)}" + (reference is null ? "" : $"&reference={Uri.EscapeDataString(reference)}");
        builder.Query = query.Length == 0 ? extra : $"{query}&{extra}";
        return builder.Uri;
    }

    private string BackLink(HttpRequest request)
    {
        var referer = request.Headers.Referer.ToString();
        if (Uri.TryCreate(referer, UriKind.Absolute, out var back) && _options.IsAllowed(back))
        {
            return back.AbsoluteUri;
        }

        return _options.ThankYouUrl!.GetLeftPart(UriPartial.Authority) + "/";
    }

    private string ErrorPage(HttpRequest request, FormRejection rejection, IReadOnlyDictionary<string, string> labels)
    {
        var page = new StringBuilder();
        page.Append("<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(rejection.Title)).Append(" – Réso Solidaire</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}h1{font-size:1.5rem;color:#8a1c1c}li{margin:.3rem 0}a{color:#0b5394}</style>\n")
            .Append("</head>\n<body>\n<main>\n<h1>").Append(Encode(rejection.Title)).Append("</h1>\n<p>").Append(Encode(rejection.Detail)).Append("</p>\n");
        if (rejection.Errors is { Count: > 0 } errors)
        {
            page.Append("<ul id=\"erreurs\">\n");
            foreach (var (field, messages) in errors)
            {
                var label = labels.TryGetValue(field, out var known) ? known : field;
                foreach (var message in messages)
                {
                    page.Append("<li><strong>").Append(Encode(label)).Append("</strong> : ").Append(Encode(message)).Append("</li>\n");
                }
            }

            page.Append("</ul>\n");
        }

        page.Append("<p><a href=\"").Append(Encode(BackLink(request))).Append("\">Revenir au formulaire</a></p>\n</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static string Encode(string text) => Encoder.Encode(text);
}
