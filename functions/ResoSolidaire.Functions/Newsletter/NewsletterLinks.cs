using ResoSolidaire.Functions.Platform.Tokens;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>The signed links a newsletter mail or page carries; each token is bound to its purpose.</summary>
public sealed class NewsletterLinks(SignedTokens tokens, IOptions<NewsletterOptions> options)
{
    public const string ConfirmPurpose = "newsletter-confirm";
    public const string UnsubscribePurpose = "newsletter-unsubscribe";
    public const string PreferencesPurpose = "newsletter-preferences";
    public const string PreviewPurpose = "newsletter-preview";

    private readonly NewsletterOptions _options = options.Value;

    public SignedTokens Tokens => tokens;

    public string Confirm(string key) =>
        Build("newsletter/confirm", tokens.Issue(ConfirmPurpose, key, _options.ConfirmationLinkLifetime));

    public string Unsubscribe(string key) =>
        Build("newsletter/unsubscribe", tokens.Issue(UnsubscribePurpose, key, _options.RecipientLinkLifetime));

    public string Preferences(string key) =>
        Build("newsletter/preferences", tokens.Issue(PreferencesPurpose, key, _options.RecipientLinkLifetime));

    public string Preview(string editionId) =>
        Build("newsletter/preview", tokens.Issue(PreviewPurpose, editionId, TimeSpan.FromDays(30)));

    public string Archive(string editionId) => _options.Link("newsletter/archive/" + Uri.EscapeDataString(editionId)).ToString();

    /// <summary>The edition's page in the staff console (behind App Service Authentication).</summary>
    public string ConsoleEdition(string editionId) => _options.Link("equipe/lettre/" + Uri.EscapeDataString(editionId)).ToString();

    public string ArchiveList => _options.Link("newsletter/archive").ToString();

    /// <summary>The List-Unsubscribe header: the HTTPS one-click link, and the mailbox when one is configured.</summary>
    public string ListUnsubscribeHeader(string unsubscribeUrl) =>
        string.IsNullOrEmpty(_options.UnsubscribeMailto)
            ? $"<{unsubscribeUrl}>"
            : $"<{unsubscribeUrl}>, <mailto:{_options.UnsubscribeMailto}?subject=desinscription>";

    private string Build(string path, string token) => _options.Link(path).ToString() + "?token=" + token;
}
