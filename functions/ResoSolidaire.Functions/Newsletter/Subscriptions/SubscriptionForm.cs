namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>What the subscription form posts (JSON or form fields of the same names). <c>Website</c> is the honeypot: people leave it empty.</summary>
public sealed record SubscribeForm(string? Email, string? Name, IReadOnlyList<string>? Territories, IReadOnlyList<string>? Sectors, bool? Consent, string? Website);

/// <summary>
/// The newsletter's subscription form, as <see cref="FormPipeline"/> runs it. A robot filling the honeypot,
/// a new address and a known one all get the same answer (202, or the thank-you page): nobody can learn
/// from it whether an address is subscribed. The service sends at most one confirmation mail per interval.
/// </summary>
public sealed class SubscriptionForm(SubscriptionService subscriptions) : IPublicForm<SubscribeForm, SubscriptionRequest>
{
    internal const string Answer = "Merci ! Si cette adresse peut recevoir notre lettre, un courriel de confirmation vient de lui être envoyé. Ouvrez-le pour confirmer votre inscription.";

    public static readonly IReadOnlyDictionary<string, string> FieldLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["email"] = "Adresse e-mail",
        ["name"] = "Nom",
        ["territories"] = "Territoires",
        ["sectors"] = "Secteurs",
        ["consent"] = "Consentement",
    };

    public string Name => "newsletter";

    public IReadOnlyDictionary<string, string> Labels => FieldLabels;

    public SubscribeForm FromFields(FormBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new SubscribeForm(body.Field("email"), body.Field("name"), body.Values("territories"), body.Values("sectors"), body.Checked("consent"), body.Field(Honeypot.Field));
    }

    public string? HoneypotOf(SubscribeForm posted) => posted?.Website;

    public FormResult Decoy() => Subscribed();

    public FormCheck<SubscriptionRequest> Check(SubscribeForm posted, FormBody body, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        var email = FieldRules.EmailOrNull(errors, "email", posted.Email);
        var name = FieldRules.Optional(errors, "name", posted.Name, 120);
        if (posted.Consent != true)
        {
            errors.Add("consent", "Merci de cocher la case de consentement pour recevoir la lettre.");
        }

        var source = body.Kind == BodyKind.Json ? "site-web (js)" : "site-web";
        return new(email is null ? null : new SubscriptionRequest(email, name, posted.Territories, posted.Sectors, source));
    }

    /// <summary>Records the subscription (or leaves a known address as it is) and sends the confirmation mail through the outbox.</summary>
    public async Task<FormResult> StoreAsync(SubscriptionRequest submission, CancellationToken cancellationToken)
    {
        await subscriptions.SubscribeAsync(submission, cancellationToken).ConfigureAwait(false);
        return Subscribed();
    }

    private static FormResult Subscribed() => FormResult.Waiting(new PendingReceipt(null, Answer));
}
