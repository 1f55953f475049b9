namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>
/// Leaving with one click (RFC 8058): a mail client POSTs <c>List-Unsubscribe=One-Click</c> to the link of
/// the List-Unsubscribe header, with no cookie and no CSRF token; the signed link is the authority. A person
/// opening the link gets a page whose button posts the same request.
/// </summary>
public sealed class UnsubscribeFunctions(SubscriptionService subscriptions, NewsletterLinks links)
{
    [Function(nameof(ShowUnsubscribe))]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> ShowUnsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "newsletter/unsubscribe")] HttpRequest request) =>
        PublicRequests.WithLinkAsync(request, links.Tokens, NewsletterLinks.UnsubscribePurpose, link => PublicRequests.Html(
            "Se désinscrire",
            "<p>Vous ne recevrez plus aucune lettre ni aucun envoi de Réso Solidaire à cette adresse.</p>"
                + Pages.ButtonForm("unsubscribe", link.Token, "Je me désinscris")));

    [Function(nameof(Unsubscribe))]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> Unsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "newsletter/unsubscribe")] HttpRequest request) =>
        PublicRequests.WithLinkAsync(request, links.Tokens, NewsletterLinks.UnsubscribePurpose, async link =>
        {
            var oneClick = string.Equals(link.Form?["List-Unsubscribe"].ToString(), "One-Click", StringComparison.Ordinal);
            await subscriptions.UnsubscribeAsync(link.Subject, oneClick ? "one-click" : "lien", request.HttpContext.RequestAborted).ConfigureAwait(false);
            return PublicRequests.Html(
                "Vous êtes désinscrit·e",
                "<p>C'est fait : cette adresse ne recevra plus la lettre ni les envois de Réso Solidaire. Vous pouvez vous réinscrire à tout moment depuis le site.</p>");
        });
}
