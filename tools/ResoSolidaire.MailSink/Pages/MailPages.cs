using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ResoSolidaire.MailSink.Pages;

/// <summary>
/// The two pages a person reads: the list of received mails and one mail. Everything from a request is
/// HTML-encoded; a mail's HTML part is only ever shown inside a sandboxed iframe's <c>srcdoc</c>.
/// </summary>
internal static class MailPages
{
    private const int ListedOnPage = 500;
    private const int RecipientsShown = 3;

    /// <summary>Encodes markup characters but keeps accented letters readable in the source.</summary>
    private static readonly HtmlEncoder _encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly CultureInfo _french = CultureInfo.GetCultureInfo("fr-FR");

    // srcdoc frames inherit this policy: the mail's scripts stay blocked even if the sandbox were lifted.
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
        header{background:#1d4e89;color:#fff;padding:1rem 2rem}header h1{margin:0;font-size:1.4rem}header p{margin:.3rem 0 0;opacity:.9}
        main{padding:1.5rem 2rem;max-width:80rem}a{color:#1d4e89}
        table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
        th{background:#e4e7eb;font-weight:600}tr:hover td{background:#f0f4f8}
        .ok{color:#1b7f3b;font-weight:600}.ko{color:#b42318;font-weight:600}.muted{color:#616e7c}
        section{background:#fff;padding:1rem 1.2rem;margin:0 0 1.2rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        section h2{margin:0 0 .7rem;font-size:1.1rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
        dt{font-weight:600}dd{margin:0;word-break:break-word}pre{white-space:pre-wrap;word-break:break-word;background:#f5f7fa;padding:.7rem;margin:0}
        iframe{width:100%;height:32rem;border:1px solid #cbd2d9;background:#fff}ul{margin:0;padding-left:1.2rem}
        """;

    public static IEndpointRouteBuilder MapMailPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (MailStore store, FaultPlan faults) => Page("Courriels reçus", Index(store, faults)));
        routes.MapGet("/messages/{id}", (MailStore store, string id) => store.Find(id) is { } mail
            ? Page($"Courriel {mail.Id}", Detail(mail))
            : Page("Courriel introuvable", "<section><h2>Courriel introuvable</h2><p>Aucun courriel conservé ne porte cet identifiant : il a peut-être été effacé ou remplacé par des plus récents.</p><p><a href=\"/\">Retour à la liste</a></p></section>", StatusCodes.Status404NotFound));
        return routes;
    }

    private static HtmlPage Page(string title, string content, int statusCode = StatusCodes.Status200OK)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="fr">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · Boîte d'essai SendGrid</title><style>{Style}</style></head>
            <body><header><h1><a href="/" style="color:inherit;text-decoration:none">Boîte d'essai SendGrid · Réso Solidaire</a></h1>
            <p>Les courriels envoyés ici ne partent jamais : ils sont vérifiés comme SendGrid le ferait, puis conservés pour consultation.</p></header>
            <main>{content}</main></body></html>
            """;
        return new HtmlPage(html, statusCode);
    }

    private static string Index(MailStore store, FaultPlan faults)
    {
        var mails = store.Snapshot();
        var html = new StringBuilder();
        html.Append("<section><h2>Compteurs</h2><dl>")
            .Append("<dt>Courriels acceptés</dt><dd>").Append(Number(store.TotalAccepted)).Append("</dd>")
            .Append("<dt>Destinataires</dt><dd>").Append(Number(store.TotalRecipients)).Append("</dd>")
            .Append("<dt>Requêtes refusées</dt><dd>").Append(Number(store.TotalRefused)).Append("</dd>")
            .Append("<dt>Pannes simulées</dt><dd>").Append(Number(faults.TotalFaulted)).Append("</dd>")
            .Append("<dt>Conservés</dt><dd>").Append(Number(mails.Count)).Append(" sur ").Append(Number(store.Capacity)).Append(" au plus</dd>")
            .Append("</dl></section>");

        if (mails.Count == 0)
        {
            return html.Append("<section><p class=\"muted\">Aucun courriel reçu pour l'instant.</p></section>").ToString();
        }

        html.Append("<table><thead><tr><th>Reçu le (UTC)</th><th>Expéditeur</th><th>Destinataires</th><th>Objet</th><th>Personnalisations</th><th>Validité</th></tr></thead><tbody>");
        foreach (var mail in mails.Reverse().Take(ListedOnPage))
        {
            var link = "/messages/" + Uri.EscapeDataString(mail.Id);
            html.Append("<tr><td><a href=\"").Append(E(link)).Append("\">").Append(E(Time(mail.ReceivedAt))).Append("</a></td>")
                .Append("<td>").Append(E(mail.From.Length > 0 ? mail.From : "—")).Append("</td>")
                .Append("<td>").Append(E(Recipients(mail))).Append("</td>")
                .Append("<td>").Append(E(mail.Subject.Length > 0 ? mail.Subject : "(sans objet)")).Append("</td>")
                .Append("<td>").Append(Number(mail.Personalizations.Count)).Append("</td>")
                .Append("<td>").Append(Validity(mail)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        if (mails.Count > ListedOnPage)
        {
            html.Append("<p class=\"muted\">Seuls les ").Append(Number(ListedOnPage)).Append(" courriels les plus récents sont affichés.</p>");
        }

        return html.ToString();
    }

    private static string Detail(ReceivedMail mail)
    {
        var html = new StringBuilder();
        html.Append("<p><a href=\"/\">← Retour à la liste</a></p>");
        html.Append("<section><h2>Enveloppe</h2><dl>")
            .Append("<dt>Identifiant</dt><dd>").Append(E(mail.Id)).Append("</dd>")
            .Append("<dt>Reçu le</dt><dd>").Append(E(Time(mail.ReceivedAt))).Append(" UTC</dd>")
            .Append("<dt>Validité</dt><dd>").Append(Validity(mail)).Append("</dd>")
            .Append("<dt>Expéditeur</dt><dd>").Append(E(Address(mail.From, mail.FromName))).Append("</dd>");
        Optional(html, "Répondre à", mail.ReplyTo);
        Optional(html, "Objet", mail.MessageSubject);
        Optional(html, "Modèle", mail.TemplateId);
        Optional(html, "Envoi programmé", mail.SendAt is { } sendAt ? Time(sendAt) + " UTC" : null);
        Optional(html, "Catégories", mail.Categories.Count > 0 ? string.Join(", ", mail.Categories) : null);
        Optional(html, "Pièces jointes", mail.AttachmentNames.Count > 0 ? string.Join(", ", mail.AttachmentNames) : null);
        html.Append("<dt>Destinataires</dt><dd>").Append(Number(mail.RecipientCount)).Append("</dd></dl></section>");

        if (mail.Errors.Count > 0)
        {
            html.Append("<section><h2>Erreurs renvoyées (400)</h2><ul>");
            foreach (var error in mail.Errors)
            {
                html.Append("<li>").Append(error.Field is null ? "" : "<code>" + E(error.Field) + "</code> : ").Append(E(error.Message)).Append("</li>");
            }

            html.Append("</ul></section>");
        }

        Pairs(html, "En-têtes", mail.Headers);
        Pairs(html, "Arguments personnalisés", mail.CustomArgs);

        html.Append("<section><h2>Texte brut</h2>")
            .Append(mail.Text is null ? "<p class=\"muted\">Pas de partie texte.</p>" : "<pre>" + E(mail.Text) + "</pre>")
            .Append("</section>");

        // The mail's HTML is attribute-encoded into srcdoc and rendered in an origin-less sandbox without scripts.
        html.Append("<section><h2>HTML</h2>")
            .Append(mail.Html is null
                ? "<p class=\"muted\">Pas de partie HTML.</p>"
                : "<iframe title=\"Partie HTML du courriel\" sandbox=\"\" referrerpolicy=\"no-referrer\" srcdoc=\"" + E(mail.Html) + "\"></iframe>")
            .Append("</section>");

        PersonalizationTable(html, mail);

        html.Append("<section><details><summary>Corps JSON reçu</summary><pre>").Append(E(mail.RawJson)).Append("</pre></details></section>");
        return html.ToString();
    }

    private static void PersonalizationTable(StringBuilder html, ReceivedMail mail)
    {
        html.Append("<section><h2>Personnalisations (").Append(Number(mail.Personalizations.Count)).Append(")</h2>");
        if (mail.Personalizations.Count == 0)
        {
            html.Append("<p class=\"muted\">Aucune personnalisation.</p></section>");
            return;
        }

        html.Append("<table><thead><tr><th>N°</th><th>À</th><th>Cc</th><th>Cci</th><th>Objet</th><th>Substitutions</th><th>En-têtes et arguments</th></tr></thead><tbody>");
        var index = 0;
        foreach (var p in mail.Personalizations)
        {
            html.Append("<tr><td>").Append(Number(index++)).Append("</td>")
                .Append("<td>").Append(E(string.Join(", ", p.To))).Append("</td>")
                .Append("<td>").Append(E(string.Join(", ", p.Cc))).Append("</td>")
                .Append("<td>").Append(E(string.Join(", ", p.Bcc))).Append("</td>")
                .Append("<td>").Append(E(mail.SubjectFor(p) ?? "")).Append("</td>")
                .Append("<td>").Append(List(p.Substitutions)).Append("</td>")
                .Append("<td>").Append(List(p.Headers.Concat(p.CustomArgs))).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Optional(StringBuilder html, string label, string? value)
    {
        if (value is not null)
        {
            html.Append("<dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
        }
    }

    private static void Pairs(StringBuilder html, string title, IReadOnlyDictionary<string, string> pairs)
    {
        html.Append("<section><h2>").Append(E(title)).Append("</h2>");
        if (pairs.Count == 0)
        {
            html.Append("<p class=\"muted\">Aucun.</p></section>");
            return;
        }

        html.Append("<dl>");
        foreach (var (name, value) in pairs)
        {
            html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
        }

        html.Append("</dl></section>");
    }

    private static string List(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var items = pairs.Select(p => "<li><code>" + E(p.Key) + "</code> → " + E(p.Value) + "</li>").ToList();
        return items.Count == 0 ? "" : "<ul>" + string.Concat(items) + "</ul>";
    }

    private static string Recipients(ReceivedMail mail)
    {
        var all = mail.Personalizations.SelectMany(p => p.To).ToList();
        if (all.Count == 0)
        {
            return "—";
        }

        var shown = string.Join(", ", all.Take(RecipientsShown));
        var others = mail.RecipientCount - Math.Min(all.Count, RecipientsShown);
        return others switch
        {
            <= 0 => shown,
            1 => shown + " et 1 autre",
            _ => shown + " et " + Number(others) + " autres",
        };
    }

    private static string Validity(ReceivedMail mail) => mail.IsValid
        ? "<span class=\"ok\">Accepté</span>"
        : "<span class=\"ko\">Refusé</span>" + (mail.Errors.Count > 1 ? " (" + Number(mail.Errors.Count) + " erreurs)" : " (1 erreur)");

    private static string Address(string email, string? name) =>
        email.Length == 0 ? "—" : name is null ? email : $"{name} <{email}>";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("dd/MM/yyyy HH:mm:ss", _french);

    private static string Number(long value) => value.ToString("N0", _french);

    private static string E(string value) => _encoder.Encode(value);

    private sealed class HtmlPage(string html, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
