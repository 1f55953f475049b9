using Ganss.Xss;
using Markdig;

namespace ResoSolidaire.Functions.Newsletter.Editions;

/// <summary>
/// Renders an edition as mail clients need it: one table-based column, every style inline, no image
/// (so it reads the same with images blocked), and a plain-text part; French throughout. Staff Markdown
/// never carries raw HTML (disabled in the parser) and its output is sanitised again.
/// </summary>
public sealed class EditionRenderer
{
    private const string Accent = "#7a1f5c";
    private const string Ink = "#1f2933";
    private const string Muted = "#52606d";
    private const string Font = "font-family:Arial,Helvetica,sans-serif;";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().UseEmphasisExtras().Build();
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public RenderedEdition Render(EditionContent content, string webVersionUrl)
    {
        ArgumentNullException.ThrowIfNull(content);
        var html = new StringBuilder(16 * 1024);
        var text = new StringBuilder(4 * 1024);

        html.Append("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(content.Subject.Length == 0 ? "La lettre de Réso Solidaire" : content.Subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:0;background-color:#f4f1ee;\">")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"background-color:#f4f1ee;\"><tr><td align=\"center\" style=\"padding:16px 8px;\">")
            .Append("<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;max-width:600px;background-color:#ffffff;\">")
            .Append("<tr><td style=\"").Append(Font).Append("font-size:12px;color:").Append(Muted).Append(";padding:8px 24px;text-align:right;\">")
            .Append("<a href=\"").Append(E(webVersionUrl)).Append("\" style=\"color:").Append(Muted).Append(";\">Voir la lettre dans le navigateur</a></td></tr>")
            .Append("<tr><td style=\"background-color:").Append(Accent).Append(";padding:20px 24px;").Append(Font).Append("font-size:24px;font-weight:bold;color:#ffffff;\">Réso Solidaire</td></tr>")
            .Append("<tr><td style=\"padding:24px;").Append(Font).Append("font-size:16px;line-height:24px;color:").Append(Ink).Append(";\">")
            .Append("<h1 style=\"").Append(Font).Append("font-size:22px;line-height:28px;color:").Append(Accent).Append(";margin:0 0 16px 0;\">").Append(E(content.Subject)).Append("</h1>");
        text.Append(content.Subject).Append('\n').Append(new string('=', Math.Min(60, content.Subject.Length))).Append("\n\n");

        if (!string.IsNullOrWhiteSpace(content.IntroMarkdown))
        {
            html.Append(Markdown(content.IntroMarkdown));
            text.Append(PlainText(content.IntroMarkdown).Trim()).Append("\n\n");
        }

        if (content.News.Count > 0)
        {
            Section(html, text, "Les nouvelles");
            foreach (var item in content.News)
            {
                html.Append("<h3 style=\"").Append(Font).Append("font-size:17px;color:").Append(Ink).Append(";margin:16px 0 4px 0;\">").Append(E(item.Title)).Append("</h3>")
                    .Append(Markdown(item.Text));
                text.Append("* ").Append(item.Title).Append('\n').Append(PlainText(item.Text).Trim()).Append('\n');
                if (item.Link is { } link && IsWebLink(link))
                {
                    html.Append(LinkParagraph(link, "En savoir plus"));
                    text.Append("En savoir plus : ").Append(link).Append('\n');
                }

                text.Append('\n');
            }
        }

        if (content.Agenda.Count > 0)
        {
            Section(html, text, "L'agenda des prochaines semaines");
            html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">");
            foreach (var e in content.Agenda)
            {
                var when = e.Date.ToString("dddd d MMMM", French) + (e.Time is null ? "" : " à " + e.Time.Replace(":", " h ", StringComparison.Ordinal));
                html.Append("<tr><td style=\"padding:8px 0;border-bottom:1px solid #e4e7eb;").Append(Font).Append("font-size:15px;line-height:22px;color:").Append(Ink).Append(";\">")
                    .Append("<strong style=\"color:").Append(Accent).Append(";\">").Append(E(when)).Append("</strong><br>")
                    .Append("<strong>").Append(E(e.Title)).Append("</strong><br>")
                    .Append(E(e.Place)).Append(", ").Append(E(e.Commune)).Append(" – ").Append(E(e.Organiser));
                if (e.Link is { } link)
                {
                    html.Append("<br><a href=\"").Append(E(link)).Append("\" style=\"color:").Append(Accent).Append(";\">Plus d'informations</a>");
                }

                html.Append("</td></tr>");
                text.Append("- ").Append(when).Append(" : ").Append(e.Title).Append(" (").Append(e.Place).Append(", ").Append(e.Commune).Append(" – ").Append(e.Organiser).Append(")\n");
                if (e.Link is { } textLink)
                {
                    text.Append("  ").Append(textLink).Append('\n');
                }
            }

            html.Append("</table>");
            text.Append('\n');
        }

        if (content.Spotlight.Count > 0)
        {
            Section(html, text, "Coup de projecteur");
            foreach (var s in content.Spotlight)
            {
                var where = s.Commune is null ? s.Kind : s.Kind + " à " + s.Commune;
                html.Append("<h3 style=\"").Append(Font).Append("font-size:17px;color:").Append(Ink).Append(";margin:16px 0 0 0;\">").Append(E(s.Name)).Append("</h3>")
                    .Append("<p style=\"margin:0 0 8px 0;font-size:14px;color:").Append(Muted).Append(";\">").Append(E(where)).Append("</p>")
                    .Append(Markdown(s.Description));
                text.Append("* ").Append(s.Name).Append(" (").Append(where).Append(")\n").Append(PlainText(s.Description).Trim()).Append('\n');
                if (IsWebLink(s.Website))
                {
                    html.Append(LinkParagraph(s.Website!, "Découvrir la structure"));
                    text.Append(s.Website).Append('\n');
                }

                text.Append('\n');
            }
        }

        html.Append("</td></tr>")
            .Append("<tr><td style=\"padding:16px 24px;background-color:#f9f7f5;").Append(Font).Append("font-size:12px;line-height:18px;color:").Append(Muted).Append(";\">")
            .Append("Vous recevez cette lettre car vous y êtes abonné·e ou figurez dans l'annuaire des acteurs de l'ESS du Pays de Rennes.<br>")
            .Append("<a href=\"").Append(RenderedEdition.PreferencesTag).Append("\" style=\"color:").Append(Muted).Append(";\">Choisir mes centres d'intérêt</a> · ")
            .Append("<a href=\"").Append(RenderedEdition.UnsubscribeTag).Append("\" style=\"color:").Append(Muted).Append(";\">Me désinscrire</a><br>")
            .Append("Réso Solidaire – Pôle de développement de l'Économie sociale et solidaire du Pays de Rennes")
            .Append("</td></tr></table></td></tr></table></body></html>");
        text.Append("--\nVous recevez cette lettre car vous y êtes abonné·e ou figurez dans l'annuaire des acteurs de l'ESS du Pays de Rennes.\n")
            .Append("Voir la lettre dans le navigateur : ").Append(webVersionUrl).Append('\n')
            .Append("Choisir mes centres d'intérêt : ").Append(RenderedEdition.PreferencesTag).Append('\n')
            .Append("Me désinscrire : ").Append(RenderedEdition.UnsubscribeTag).Append('\n')
            .Append("Réso Solidaire – Pôle de développement de l'Économie sociale et solidaire du Pays de Rennes\n");
        return new RenderedEdition(content.Subject, html.ToString(), text.ToString());
    }

    private static void Section(StringBuilder html, StringBuilder text, string title)
    {
        html.Append("<h2 style=\"").Append(Font).Append("font-size:19px;color:").Append(Accent)
            .Append(";border-bottom:2px solid ").Append(Accent).Append(";padding-bottom:4px;margin:28px 0 8px 0;\">").Append(E(title)).Append("</h2>");
        text.Append(title.ToUpper(French)).Append("\n\n");
    }

    private static string LinkParagraph(string url, string label) =>
        $"<p style=\"margin:4px 0 12px 0;\"><a href=\"{E(url)}\" style=\"color:{Accent};font-weight:bold;\">{E(label)}</a></p>";

    private string Markdown(string markdown)
    {
        var html = _sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdown ?? "", Pipeline));
        return html
            .Replace("<p>", $"<p style=\"margin:0 0 12px 0;\">", StringComparison.Ordinal)
            .Replace("<a ", $"<a style=\"color:{Accent};\" ", StringComparison.Ordinal)
            .Replace("<ul>", "<ul style=\"margin:0 0 12px 0;padding-left:20px;\">", StringComparison.Ordinal)
            .Replace("<ol>", "<ol style=\"margin:0 0 12px 0;padding-left:20px;\">", StringComparison.Ordinal)
            .Replace("<blockquote>", $"<blockquote style=\"margin:0 0 12px 0;padding-left:12px;border-left:3px solid {Accent};\">", StringComparison.Ordinal);
    }

    /// <summary>The directory checks websites, but a mail only ever links to http(s).</summary>
    private static bool IsWebLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string PlainText(string markdown) => Markdig.Markdown.ToPlainText(markdown ?? "", Pipeline);

    private static string E(string text) => Pages.E(text);

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(["p", "a", "strong", "em", "ul", "ol", "li", "br", "h2", "h3", "h4", "blockquote", "del", "code"], StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
        };
        return new HtmlSanitizer(options);
    }
}
