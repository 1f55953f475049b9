using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using ResoSolidaire.LocalHost.Configuration;

namespace ResoSolidaire.LocalHost.Authentication;

/// <summary>What the person typed in the "another person" form, kept when the page comes back with errors.</summary>
internal sealed record SignInEntry(string Name, string Email, IReadOnlyList<string> Roles)
{
    public static SignInEntry Empty { get; } = new(string.Empty, string.Empty, []);
}

/// <summary>A field the person must correct: the id of its input and the message shown beside it.</summary>
internal sealed record SignInError(string FieldId, string Message);

internal sealed record SignInPageModel(
    string ReturnPath,
    IReadOnlyList<LocalUser> People,
    IReadOnlyList<string> Roles,
    LocalIdentity? SignedIn,
    SignInEntry Entry,
    IReadOnlyList<SignInError> Errors);

/// <summary>
/// The development sign-in page that stands in for Microsoft Entra ID's. Every value from the settings
/// or the request is HTML-encoded here; errors follow the GOV.UK pattern (a summary linking to each
/// field, the message beside the field).
/// </summary>
internal static class SignInPage
{
    public const string UserField = "utilisateur";
    public const string OtherPerson = "autre";
    public const string NameField = "nom";
    public const string EmailField = "courriel";
    public const string RolesField = "roles";
    public const string ReturnField = "post_login_redirect_uri";

    /// <summary>
    /// The display names of the app's roles, as Entra shows an app role's <c>displayName</c> beside its
    /// <c>value</c> (the claim): « Équipe » for <c>Equipe</c>. Other configured roles show their value.
    /// </summary>
    private static readonly Dictionary<string, string> RoleLabels = new(StringComparer.Ordinal)
    {
        ["Equipe"] = "Équipe",
        ["Administration"] = "Administration",
    };

    public static string RoleLabel(string role) => RoleLabels.GetValueOrDefault(role, role);

    private const string Styles = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #0b0c0c; background: #fff; line-height: 1.5; }
        main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
        h1 { font-size: 2rem; margin: 0 0 1rem; }
        h2 { font-size: 1.35rem; margin: 2rem 0 0.75rem; }
        fieldset { border: 0; padding: 0; margin: 0 0 1.25rem; }
        legend { font-weight: 700; margin-bottom: 0.5rem; }
        .choix { display: flex; gap: 0.6rem; align-items: flex-start; margin: 0.5rem 0; }
        .choix .aide { display: block; }
        .choix input { width: 1.5rem; height: 1.5rem; margin: 0.1rem 0 0; flex: none; }
        .champ { margin: 0 0 1.25rem; }
        .champ label { display: block; font-weight: 700; }
        .champ input { font: inherit; width: 100%; max-width: 30rem; padding: 0.4rem; border: 2px solid #0b0c0c; box-sizing: border-box; }
        .aide { color: #505a5f; }
        .erreur { color: #d4351c; font-weight: 700; margin: 0.25rem 0; }
        .champ-en-erreur { border-left: 5px solid #d4351c; padding-left: 0.75rem; }
        .resume-erreurs { border: 5px solid #d4351c; padding: 1rem; margin-bottom: 1.5rem; }
        .resume-erreurs h2 { margin-top: 0; }
        .resume-erreurs a { color: #d4351c; font-weight: 700; }
        button { font: inherit; font-weight: 700; padding: 0.5rem 1rem; color: #fff; background: #00703c; border: 0; box-shadow: 0 2px 0 #002d18; cursor: pointer; }
        button:focus, input:focus, a:focus { outline: 3px solid #fd0; outline-offset: 0; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
        .bandeau { background: #f3f2f1; padding: 0.75rem 1rem; margin-bottom: 1.5rem; }
        """;

    public static string Render(SignInPageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new HtmlWriter();
        html.Raw("<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
            .Raw(model.Errors.Count > 0 ? "Erreur : " : string.Empty)
            .Raw("Connexion de développement – hôte local</title>\n<style>").Raw(Styles).Raw("</style>\n</head>\n<body>\n<main>\n")
            .Raw("<h1>Connexion de développement</h1>\n")
            .Raw("<p>Cette page remplace la connexion Microsoft Entra ID sur l'hôte local. Elle n'existe pas en production : ")
            .Raw("en Azure, c'est l'authentification App Service qui connecte les personnes.</p>\n");

        if (model.SignedIn is { } current)
        {
            html.Raw("<p class=\"bandeau\">Vous êtes connecté en tant que <strong>").Text(current.Name).Raw("</strong>. ")
                .Raw("<a href=\"/.auth/logout\">Se déconnecter</a></p>\n");
        }

        if (model.Errors.Count > 0)
        {
            html.Raw("<div class=\"resume-erreurs\" role=\"alert\" aria-labelledby=\"resume-erreurs-titre\" tabindex=\"-1\">\n")
                .Raw("<h2 id=\"resume-erreurs-titre\">Il y a un problème</h2>\n<ul>\n");
            foreach (var error in model.Errors)
            {
                html.Raw("<li><a href=\"#").Text(error.FieldId).Raw("\">").Text(error.Message).Raw("</a></li>\n");
            }

            html.Raw("</ul>\n</div>\n");
        }

        ConfiguredPeople(html, model);
        AnotherPerson(html, model);
        html.Raw("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void ConfiguredPeople(HtmlWriter html, SignInPageModel model)
    {
        html.Raw("<h2 id=\"comptes-titre\">Se connecter avec un compte configuré</h2>\n");
        if (model.People.Count == 0)
        {
            html.Raw("<p>Aucun compte n'est configuré : ajoutez-en dans <code>LocalAuthentication.Users</code> de local.settings.json, ")
                .Raw("ou connectez-vous comme une autre personne ci-dessous.</p>\n");
            return;
        }

        var error = model.Errors.FirstOrDefault(e => e.FieldId.StartsWith(UserField + "-", StringComparison.Ordinal));
        html.Raw("<form method=\"post\" action=\"/.auth/login/aad\" aria-labelledby=\"comptes-titre\">\n");
        ReturnPath(html, model);
        html.Raw("<div").Raw(error is null ? string.Empty : " class=\"champ-en-erreur\"").Raw(">\n")
            .Raw("<fieldset").Raw(error is null ? string.Empty : " aria-describedby=\"utilisateur-erreur\"").Raw(">\n")
            .Raw("<legend>Qui êtes-vous ?</legend>\n");
        if (error is not null)
        {
            html.Raw("<p class=\"erreur\" id=\"utilisateur-erreur\"><span class=\"visually-hidden\">Erreur : </span>").Text(error.Message).Raw("</p>\n");
        }

        for (var i = 0; i < model.People.Count; i++)
        {
            var person = model.People[i];
            var id = $"{UserField}-{i}";
            html.Raw("<div class=\"choix\"><input type=\"radio\" name=\"").Raw(UserField).Raw("\" id=\"").Text(id).Raw("\" value=\"").Text(person.ObjectId).Raw("\"")
                .Raw(i == 0 ? " checked" : string.Empty).Raw(" aria-describedby=\"").Text(id).Raw("-aide\">")
                .Raw("<div><label for=\"").Text(id).Raw("\">").Text(person.Name).Raw("</label>")
                .Raw("<span class=\"aide\" id=\"").Text(id).Raw("-aide\">").Text(person.Email ?? string.Empty).Raw(" – ")
                .Text(person.Roles.Count == 0 ? "aucun rôle" : (person.Roles.Count == 1 ? "rôle : " : "rôles : ") + string.Join(", ", person.Roles.Select(RoleLabel)))
                .Raw("</span></div></div>\n");
        }

        html.Raw("</fieldset>\n</div>\n<button type=\"submit\">Se connecter</button>\n</form>\n");
    }

    private static void AnotherPerson(HtmlWriter html, SignInPageModel model)
    {
        html.Raw("<h2 id=\"autre-titre\">Se connecter comme une autre personne</h2>\n")
            .Raw("<form method=\"post\" action=\"/.auth/login/aad\" aria-labelledby=\"autre-titre\" novalidate>\n");
        ReturnPath(html, model);
        html.Raw("<input type=\"hidden\" name=\"").Raw(UserField).Raw("\" value=\"").Raw(OtherPerson).Raw("\">\n");
        TextField(html, model, NameField, "Nom", "Tel qu'il s'affichera, par exemple Camille Martin.", "text", "name", model.Entry.Name);
        TextField(html, model, EmailField, "Adresse électronique", "Elle sert d'identifiant de connexion.", "email", "email", model.Entry.Email);

        var rolesError = model.Errors.FirstOrDefault(e => e.FieldId == "role-0");
        html.Raw("<div").Raw(rolesError is null ? string.Empty : " class=\"champ-en-erreur\"").Raw(">\n")
            .Raw("<fieldset aria-describedby=\"roles-aide").Raw(rolesError is null ? string.Empty : " roles-erreur").Raw("\">\n<legend>Rôles</legend>\n")
            .Raw("<p class=\"aide\" id=\"roles-aide\">Cochez tous ceux qui s'appliquent, ou aucun.</p>\n");
        if (rolesError is not null)
        {
            html.Raw("<p class=\"erreur\" id=\"roles-erreur\"><span class=\"visually-hidden\">Erreur : </span>").Text(rolesError.Message).Raw("</p>\n");
        }

        for (var i = 0; i < model.Roles.Count; i++)
        {
            var role = model.Roles[i];
            var id = $"role-{i}";
            html.Raw("<div class=\"choix\"><input type=\"checkbox\" name=\"").Raw(RolesField).Raw("\" id=\"").Text(id).Raw("\" value=\"").Text(role).Raw("\"")
                .Raw(model.Entry.Roles.Contains(role, StringComparer.Ordinal) ? " checked" : string.Empty).Raw(">")
                .Raw("<label for=\"").Text(id).Raw("\">").Text(RoleLabel(role)).Raw("</label></div>\n");
        }

        html.Raw("</fieldset>\n</div>\n<button type=\"submit\">Se connecter</button>\n</form>\n");
    }

    private static void TextField(HtmlWriter html, SignInPageModel model, string id, string label, string hint, string type, string autocomplete, string value)
    {
        var error = model.Errors.FirstOrDefault(e => e.FieldId == id);
        var describedBy = error is null ? $"{id}-aide" : $"{id}-aide {id}-erreur";
        html.Raw("<div class=\"champ").Raw(error is null ? string.Empty : " champ-en-erreur").Raw("\">\n")
            .Raw("<label for=\"").Raw(id).Raw("\">").Text(label).Raw("</label>\n")
            .Raw("<p class=\"aide\" id=\"").Raw(id).Raw("-aide\">").Text(hint).Raw("</p>\n");
        if (error is not null)
        {
            html.Raw("<p class=\"erreur\" id=\"").Raw(id).Raw("-erreur\"><span class=\"visually-hidden\">Erreur : </span>").Text(error.Message).Raw("</p>\n");
        }

        html.Raw("<input type=\"").Raw(type).Raw("\" id=\"").Raw(id).Raw("\" name=\"").Raw(id).Raw("\" autocomplete=\"").Raw(autocomplete)
            .Raw("\" spellcheck=\"false\" value=\"").Text(value).Raw("\" aria-describedby=\"").Raw(describedBy).Raw("\"")
            .Raw(error is null ? string.Empty : " aria-invalid=\"true\"").Raw(">\n</div>\n");
    }

    private static void ReturnPath(HtmlWriter html, SignInPageModel model) =>
        html.Raw("<input type=\"hidden\" name=\"").Raw(ReturnField).Raw("\" value=\"").Text(model.ReturnPath).Raw("\">\n");

    /// <summary>Markup written as is; <see cref="Text"/> for anything that is not a literal of this file.</summary>
    private sealed class HtmlWriter
    {
        // Letters stay readable in the source of the page; markup characters are always encoded.
        private static readonly HtmlEncoder _encoder = HtmlEncoder.Create(UnicodeRanges.All);

        private readonly StringBuilder _html = new();

        public HtmlWriter Raw(string markup)
        {
            _html.Append(markup);
            return this;
        }

        public HtmlWriter Text(string text)
        {
            _html.Append(_encoder.Encode(text));
            return this;
        }

        public override string ToString() => _html.ToString();
    }
}
