namespace ResoSolidaire.Functions.Porteurs;

/// <summary>
/// The intake form's vocabulary: its choices, its field labels, and how a post becomes a request. Its sectors are the
/// directory's (<see cref="Directory.Vocabularies.VocabularyStore"/>), which staff keep in the console: the website reads
/// them from GET /api/territory, and the intake accepts the ones active when it arrives.
/// </summary>
public static class PorteurForm
{
    public const string Name = "porteur";
    public const string ReferencePrefix = "PP";
    public const string TableName = "PorteursDeProjet";
    public const string AttachmentsField = "attachments";

    public static readonly IReadOnlyDictionary<string, string> Stages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["idee"] = "Idée",
        ["etude"] = "Étude",
        ["creation"] = "Création",
        ["developpement"] = "Développement",
    };

    public static readonly IReadOnlyDictionary<string, string> LegalStatuses = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["association"] = "Association",
        ["scop"] = "SCOP",
        ["scic"] = "SCIC",
        ["cae"] = "CAE",
        ["entreprise-esus"] = "Entreprise ESUS",
        ["ne-sait-pas"] = "Ne sait pas",
    };

    public static readonly IReadOnlyDictionary<string, string> Needs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["financement"] = "Financement",
        ["local"] = "Local",
        ["juridique"] = "Juridique",
        ["formation"] = "Formation",
        ["reseau"] = "Réseau",
        ["emploi"] = "Emploi",
    };

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["firstName"] = "Prénom",
        ["lastName"] = "Nom",
        ["email"] = "Adresse e-mail",
        ["phone"] = "Téléphone",
        ["commune"] = "Commune",
        ["postalCode"] = "Code postal",
        ["projectTitle"] = "Titre du projet",
        ["projectDescription"] = "Description du projet",
        ["sector"] = "Secteur d'activité",
        ["stage"] = "Stade du projet",
        ["legalStatus"] = "Statut envisagé",
        ["needs"] = "Besoins",
        ["heardFrom"] = "Comment nous avez-vous connus ?",
        ["consent"] = "Consentement",
        [AttachmentsField] = "Pièces jointes",
    };

    public static PorteurRequest FromForm(FormBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new PorteurRequest
        {
            FirstName = body.Field("firstName"),
            LastName = body.Field("lastName"),
            Email = body.Field("email"),
            Phone = body.Field("phone"),
            Commune = body.Field("commune"),
            PostalCode = body.Field("postalCode"),
            ProjectTitle = body.Field("projectTitle"),
            ProjectDescription = body.Field("projectDescription"),
            Sector = body.Field("sector"),
            Stage = body.Field("stage"),
            LegalStatus = body.Field("legalStatus"),
            Needs = body.Values("needs"),
            HeardFrom = body.Field("heardFrom"),
            Consent = body.Checked("consent"),
            Website = body.Field(Honeypot.Field),
        };
    }
}
