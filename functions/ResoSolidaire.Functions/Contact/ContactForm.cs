namespace ResoSolidaire.Functions.Contact;

/// <summary>The contact form's vocabulary: its topics, its field labels, and how a post becomes a request.</summary>
public static class ContactForm
{
    public const string Name = "contact";
    public const string ReferencePrefix = "CT";
    public const string TableName = "ContactMessages";

    public static readonly IReadOnlyDictionary<string, string> Topics = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["information"] = "Information",
        ["adhesion"] = "Adhésion",
        ["orientation-etudiant"] = "Orientation étudiant",
        ["partenariat"] = "Partenariat",
        ["presse"] = "Presse",
        ["autre"] = "Autre",
    };

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "Nom",
        ["email"] = "Adresse e-mail",
        ["organisation"] = "Structure",
        ["phone"] = "Téléphone",
        ["topic"] = "Sujet",
        ["message"] = "Message",
        ["consent"] = "Consentement",
        ["newsletter"] = "Lettre d'information",
    };

    public static ContactRequest FromForm(FormBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new ContactRequest
        {
            Name = body.Field("name"),
            Email = body.Field("email"),
            Organisation = body.Field("organisation"),
            Phone = body.Field("phone"),
            Topic = body.Field("topic"),
            Message = body.Field("message"),
            Consent = body.Checked("consent"),
            Newsletter = body.Checked("newsletter"),
            Website = body.Field(Honeypot.Field),
        };
    }
}
