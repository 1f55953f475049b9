using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>The small French pages that links in mails open. Everything interpolated is HTML-encoded by the callers through <see cref="E"/>.</summary>
public static class Pages
{
    /// <summary>
    /// The HTML encoder of System.Text.Encodings.Web, letting every Unicode letter through: accented
    /// letters stay readable (pages and mails are UTF-8), markup characters (<c>&amp; &lt; &gt; " '</c>) are encoded.
    /// </summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Encodes text for HTML text and attribute values (quoted).</summary>
    public static string E(string? text) => string.IsNullOrEmpty(text) ? "" : Encoder.Encode(text);

    public static ContentHttpResult Page(string title, string bodyHtml, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>").Append(E(title)).Append(" – Réso Solidaire</title>")
            .Append("<style>body{font-family:Arial,Helvetica,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}")
            .Append("h1{color:#7a1f5c;font-size:1.5rem}button{background:#7a1f5c;color:#fff;border:0;border-radius:4px;padding:.7rem 1.2rem;font-size:1rem;cursor:pointer}")
            .Append("fieldset{border:1px solid #cbd2d9;border-radius:4px;margin:1rem 0}label{display:block;margin:.2rem 0}</style></head><body>")
            .Append("<h1>").Append(E(title)).Append("</h1>").Append(bodyHtml)
            .Append("<p style=\"margin-top:2rem;font-size:.85rem;color:#52606d\">Réso Solidaire – Pôle de développement de l'ESS du Pays de Rennes</p></body></html>")
            .ToString();
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>A form that posts the token back: mail scanners follow links, but only a person presses the button.</summary>
    public static string ButtonForm(string action, string token, string label) =>
        $"<form method=\"post\" action=\"{E(action)}\"><input type=\"hidden\" name=\"token\" value=\"{E(token)}\"><button type=\"submit\">{E(label)}</button></form>";

    public static ContentHttpResult InvalidLink(bool expired) => expired
        ? Page("Ce lien a expiré", "<p>Ce lien n'est plus valable. Vous pouvez recommencer la démarche depuis le site de Réso Solidaire.</p>", StatusCodes.Status410Gone)
        : Page("Ce lien n'est pas valable", "<p>Ce lien est incomplet ou n'a pas été émis par Réso Solidaire. Vérifiez qu'il a été copié en entier.</p>", StatusCodes.Status400BadRequest);
}
