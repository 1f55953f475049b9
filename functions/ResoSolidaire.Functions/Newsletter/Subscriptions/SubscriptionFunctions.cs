using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ResoSolidaire.Functions.Platform.Forms;
using static ResoSolidaire.Functions.Newsletter.Pages;

namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>What the subscription form posts (JSON or url-encoded). <c>Website</c> is the honeypot: people leave it empty.</summary>
public sealed record SubscribeForm(string? Email, string? Name, IReadOnlyList<string>? Territories, IReadOnlyList<string>? Sectors, bool? Consent, string? Website);

public sealed record SubscribeAnswer(string Message);

/// <summary>The public side of the subscription: subscribe, confirm (GET shows, POST confirms), preferences.</summary>
public sealed class SubscriptionFunctions(
    SubscriptionService subscriptions,
    NewsletterLinks links,
    FormGate gate,
    ILogger<SubscriptionFunctions> logger)
{
    internal const string Answer = "Merci ! Si cette adresse peut recevoir notre lettre, un courriel de confirmation vient de lui être envoyé. Ouvrez-le pour confirmer votre inscription.";

    private const string FormName = "newsletter";

    [Function(nameof(Subscribe))]
    public async Task<IResult> Subscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "newsletter/subscriptions")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = request.HttpContext.RequestAborted;
        var passed = await gate.PassAsync(request, FormName, allowFiles: false, ct).ConfigureAwait(false);
        if (passed.Rejection is { } rejection)
        {
            return PublicRequests.Refuse(request, rejection);
        }

        var body = passed.Body!;
        var kind = body.Kind;

        var errors = new FieldErrors();
        var form = Bind(body, errors);
        if (form is null)
        {
            return PublicRequests.Refuse(request, FormRejection.Invalid(errors));
        }

        // A robot filling the honeypot, a new address and a known one all get the same answer.
        if (Honeypot.IsTripped(form.Website))
        {
            logger.LogWarning("Form {Form}: honeypot filled, subscription dropped", FormName);
            return Subscribed(kind);
        }

        var email = FieldRules.EmailOrNull(errors, "email", form.Email);
        var name = FieldRules.Optional(errors, "name", form.Name, 120);
        if (form.Consent != true)
        {
            errors.Add("consent", "Merci de cocher la case de consentement pour recevoir la lettre.");
        }

        if (errors.Any || email is null)
        {
            return PublicRequests.Refuse(request, FormRejection.Invalid(errors));
        }

        if (await gate.AcceptAsync(passed, FormName, ct).ConfigureAwait(false) is { } limited)
        {
            return PublicRequests.Refuse(request, limited);
        }

        var source = kind == BodyKind.Json ? "site-web (js)" : "site-web";
        await subscriptions.SubscribeAsync(new SubscriptionRequest(email, name, form.Territories, form.Sectors, source), ct).ConfigureAwait(false);
        return Subscribed(kind);
    }

    [Function(nameof(ShowConfirmation))]
    public IResult ShowConfirmation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "newsletter/confirm")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Query["token"].ToString();
        var check = links.Tokens.Verify(NewsletterLinks.ConfirmPurpose, token);
        if (!check.IsValid)
        {
            return PublicRequests.RefuseToken(request, check);
        }

        return PublicRequests.Html(
            "Confirmer votre inscription",
            "<p>Pour recevoir chaque mois la lettre de Réso Solidaire, confirmez votre inscription.</p>" + ButtonForm("confirm", token, "Je confirme mon inscription"));
    }

    [Function(nameof(Confirm))]
    public async Task<IResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "newsletter/confirm")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (token, _) = await PublicRequests.ReadTokenAsync(request).ConfigureAwait(false);
        var check = links.Tokens.Verify(NewsletterLinks.ConfirmPurpose, token);
        if (!check.IsValid)
        {
            return PublicRequests.RefuseToken(request, check);
        }

        var outcome = await subscriptions.ConfirmAsync(check.Subject!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome == LinkOutcome.Done
            ? PublicRequests.Html("Inscription confirmée", "<p>Merci ! Vous recevrez la prochaine lettre de Réso Solidaire. Chaque lettre contient un lien pour vous désinscrire ou choisir vos centres d'intérêt.</p>")
            : PublicRequests.Html("Inscription introuvable", "<p>Cette demande d'inscription n'existe plus (elle a peut-être expiré). Vous pouvez vous inscrire à nouveau depuis le site.</p>", StatusCodes.Status404NotFound);
    }

    [Function(nameof(ShowPreferences))]
    public async Task<IResult> ShowPreferences(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "newsletter/preferences")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Query["token"].ToString();
        var check = links.Tokens.Verify(NewsletterLinks.PreferencesPurpose, token);
        if (!check.IsValid)
        {
            return PublicRequests.RefuseToken(request, check);
        }

        var subscriber = await subscriptions.FindAsync(check.Subject!, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (subscriber is null)
        {
            return PublicRequests.Html(
                "Vos préférences",
                "<p>Vous recevez la lettre en tant que structure de l'annuaire de Réso Solidaire. Pour changer vos centres d'intérêt, écrivez à l'équipe ; pour ne plus la recevoir, utilisez le lien de désinscription de la lettre.</p>");
        }

        return PublicRequests.Html("Vos préférences", PreferencesForm(token, subscriber));
    }

    [Function(nameof(SavePreferences))]
    public async Task<IResult> SavePreferences(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "newsletter/preferences")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (token, form) = await PublicRequests.ReadTokenAsync(request).ConfigureAwait(false);
        var check = links.Tokens.Verify(NewsletterLinks.PreferencesPurpose, token);
        if (!check.IsValid)
        {
            return PublicRequests.RefuseToken(request, check);
        }

        var outcome = await subscriptions.SavePreferencesAsync(
            check.Subject!,
            form?["territories"].Select(v => v ?? "") ?? [],
            form?["sectors"].Select(v => v ?? "") ?? [],
            request.HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome == LinkOutcome.Done
            ? PublicRequests.Html("Préférences enregistrées", "<p>Merci, vos centres d'intérêt sont enregistrés. Ils s'appliquent aux envois ciblés ; la lettre mensuelle vous parvient toujours.</p>")
            : PublicRequests.Html("Abonnement introuvable", "<p>Nous ne trouvons pas d'abonnement pour ce lien.</p>", StatusCodes.Status404NotFound);
    }

    private static IResult Subscribed(BodyKind kind) => kind == BodyKind.Json
        ? TypedResults.Accepted((string?)null, new SubscribeAnswer(Answer))
        : PublicRequests.Html("Vérifiez votre messagerie", $"<p>{E(Answer)}</p>");

    private static SubscribeForm? Bind(FormBody body, FieldErrors errors)
    {
        if (body.Kind == BodyKind.Json)
        {
            if (body.Json.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                errors.Add("corps", "Le corps de la requête doit être un objet JSON.");
                return null;
            }

            return FormBodyReader.BindJson<SubscribeForm>(body.Json, errors);
        }

        return new SubscribeForm(body.Field("email"), body.Field("name"), body.Values("territories"), body.Values("sectors"), body.Checked("consent"), body.Field("website"));
    }

    private static string PreferencesForm(string token, SubscriberEntity subscriber)
    {
        var territories = SubscriberEntity.Split(subscriber.Territories).ToHashSet(StringComparer.Ordinal);
        var sectors = SubscriberEntity.Split(subscriber.Sectors).ToHashSet(StringComparer.Ordinal);
        static string Boxes(string name, IReadOnlyDictionary<string, string> choices, HashSet<string> chosen) =>
            string.Concat(choices.Select(c =>
                $"<label><input type=\"checkbox\" name=\"{name}\" value=\"{E(c.Key)}\"{(chosen.Contains(c.Key) ? " checked" : "")}> {E(c.Value)}</label>"));
        return "<p>Choisissez les territoires et les secteurs qui vous intéressent (ne rien cocher : tous).</p>"
            + "<form method=\"post\" action=\"preferences\">"
            + $"<input type=\"hidden\" name=\"token\" value=\"{E(token)}\">"
            + "<fieldset><legend>Territoires</legend>" + Boxes("territories", Interests.Territories, territories) + "</fieldset>"
            + "<fieldset><legend>Secteurs</legend>" + Boxes("sectors", Interests.Sectors, sectors) + "</fieldset>"
            + "<button type=\"submit\">Enregistrer mes préférences</button></form>";
    }
}
