using static ResoSolidaire.Functions.Newsletter.Pages;

namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>The public side of the subscription: subscribe, confirm (GET shows, POST confirms), preferences.</summary>
public sealed class SubscriptionFunctions(
    SubscriptionService subscriptions,
    NewsletterLinks links,
    FormPipeline pipeline)
{
    private readonly SubscriptionForm _form = new(subscriptions);

    [Function(nameof(Subscribe))]
    public Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> Subscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "newsletter/subscriptions")] HttpRequest request) =>
        pipeline.HandleAsync(request, _form);

    [Function(nameof(ShowConfirmation))]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> ShowConfirmation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "newsletter/confirm")] HttpRequest request) =>
        PublicRequests.WithLinkAsync(request, links.Tokens, NewsletterLinks.ConfirmPurpose, link => PublicRequests.Html(
            "Confirmer votre inscription",
            "<p>Pour recevoir chaque mois la lettre de Réso Solidaire, confirmez votre inscription.</p>" + ButtonForm("confirm", link.Token, "Je confirme mon inscription")));

    [Function(nameof(Confirm))]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "newsletter/confirm")] HttpRequest request) =>
        PublicRequests.WithLinkAsync(request, links.Tokens, NewsletterLinks.ConfirmPurpose, async link =>
        {
            var outcome = await subscriptions.ConfirmAsync(link.Subject, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return outcome == LinkOutcome.Done
                ? PublicRequests.Html("Inscription confirmée", "<p>Merci ! Vous recevrez la prochaine lettre de Réso Solidaire. Chaque lettre contient un lien pour vous désinscrire ou choisir vos centres d'intérêt.</p>")
                : PublicRequests.Html("Inscription introuvable", "<p>Cette demande d'inscription n'existe plus (elle a peut-être expiré). Vous pouvez vous inscrire à nouveau depuis le site.</p>", StatusCodes.Status404NotFound);
        });

    [Function(nameof(ShowPreferences))]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> ShowPreferences(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "newsletter/preferences")] HttpRequest request) =>
        PublicRequests.WithLinkAsync(request, links.Tokens, NewsletterLinks.PreferencesPurpose, async link =>
        {
            var subscriber = await subscriptions.FindAsync(link.Subject, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return subscriber is null
                ? PublicRequests.Html(
                    "Vos préférences",
                    "<p>Vous recevez la lettre en tant que structure de l'annuaire de Réso Solidaire. Pour changer vos centres d'intérêt, écrivez à l'équipe ; pour ne plus la recevoir, utilisez le lien de désinscription de la lettre.</p>")
                : PublicRequests.Html("Vos préférences", PreferencesForm(link.Token, subscriber));
        });

    [Function(nameof(SavePreferences))]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> SavePreferences(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "newsletter/preferences")] HttpRequest request) =>
        PublicRequests.WithLinkAsync(request, links.Tokens, NewsletterLinks.PreferencesPurpose, async link =>
        {
            var outcome = await subscriptions.SavePreferencesAsync(
                link.Subject,
                link.Form?["territories"].Select(v => v ?? "") ?? [],
                link.Form?["sectors"].Select(v => v ?? "") ?? [],
                request.HttpContext.RequestAborted).ConfigureAwait(false);
            return outcome == LinkOutcome.Done
                ? PublicRequests.Html("Préférences enregistrées", "<p>Merci, vos centres d'intérêt sont enregistrés. Ils s'appliquent aux envois ciblés ; la lettre mensuelle vous parvient toujours.</p>")
                : PublicRequests.Html("Abonnement introuvable", "<p>Nous ne trouvons pas d'abonnement pour ce lien.</p>", StatusCodes.Status404NotFound);
        });

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
