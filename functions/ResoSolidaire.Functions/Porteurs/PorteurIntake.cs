using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>A porteur de projet's intake that passed every check, its values normalised and its commune resolved.</summary>
public sealed record PorteurIntake(
    string FirstName,
    string LastName,
    string Email,
    string Phone,
    Commune Commune,
    string? PostalCode,
    string ProjectTitle,
    string ProjectDescription,
    string Sector,
    string Stage,
    string LegalStatus,
    IReadOnlyList<string> Needs,
    string? HeardFrom,
    string SectorLabel)
{
    /// <summary>
    /// Checks an intake field by field; <paramref name="sectors"/> are the directory's active sectors, code to label;
    /// <paramref name="phoneRequired"/> is false for staff opening a case for someone who wrote without a phone number.
    /// </summary>
    public static PorteurIntake? Validate(PorteurRequest request, CommuneDirectory communes, IReadOnlyDictionary<string, string> sectors, FieldErrors errors, bool phoneRequired = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(communes);
        ArgumentNullException.ThrowIfNull(sectors);
        ArgumentNullException.ThrowIfNull(errors);
        var firstName = FieldRules.Required(errors, "firstName", request.FirstName, 80, "Le prénom");
        var lastName = FieldRules.Required(errors, "lastName", request.LastName, 80, "Le nom");
        var email = FieldRules.Email(errors, "email", request.Email);
        var phone = FieldRules.Phone(errors, "phone", request.Phone, required: phoneRequired);
        var (commune, postalCode) = ResolveCommune(request, communes, errors);
        var title = FieldRules.Required(errors, "projectTitle", request.ProjectTitle, 150, "Le titre du projet", minLength: 3);
        var description = FieldRules.Required(errors, "projectDescription", request.ProjectDescription, 8000, "La description du projet", minLength: 20, multiline: true);
        var sector = FieldRules.Choice(errors, "sector", request.Sector, sectors, "Le secteur d'activité");
        var stage = FieldRules.Choice(errors, "stage", request.Stage, PorteurForm.Stages, "Le stade du projet");
        var status = FieldRules.Choice(errors, "legalStatus", request.LegalStatus, PorteurForm.LegalStatuses, "Le statut envisagé");
        var needs = new List<string>();
        foreach (var need in request.Needs ?? [])
        {
            if (FieldRules.Choice(errors, "needs", need, PorteurForm.Needs, "Chaque besoin", required: false) is { } code && !needs.Contains(code))
            {
                needs.Add(code);
            }
        }

        var heardFrom = FieldRules.Optional(errors, "heardFrom", request.HeardFrom, 200);
        if (!request.Consent)
        {
            errors.Add("consent", "Merci d'accepter que Réso Solidaire utilise ces informations pour étudier votre projet et vous recontacter.");
        }

        return errors.Any
            ? null
            : new PorteurIntake(firstName, lastName, email, phone ?? "", commune!, postalCode, title, description, sector!, stage!, status!, needs, heardFrom, sectors[sector!]);
    }

    private static (Commune? Commune, string? PostalCode) ResolveCommune(PorteurRequest request, CommuneDirectory communes, FieldErrors errors)
    {
        var name = FieldRules.Clean(request.Commune);
        var postalCode = FieldRules.Clean(request.PostalCode).Replace(" ", "", StringComparison.Ordinal);
        if (name.Length > 100)
        {
            errors.Add("commune", "Ce champ ne peut pas dépasser 100 caractères.");
            return (null, null);
        }

        var lookup = communes.Resolve(name, postalCode);
        switch (lookup.Match)
        {
            case CommuneMatch.Found:
                return (lookup.Commune, postalCode.Length == 0 ? null : postalCode);
            case CommuneMatch.Missing:
                errors.Add("commune", "La commune est obligatoire.");
                break;
            case CommuneMatch.UnknownInseeCode:
                errors.Add("commune", "Ce code INSEE ne correspond à aucune commune française.");
                break;
            case CommuneMatch.UnknownPostalCode when postalCode.Length == 0:
                errors.Add("postalCode", "Indiquez le code postal de la commune (ou son code INSEE à la place du nom).");
                break;
            case CommuneMatch.UnknownPostalCode:
                errors.Add("postalCode", "Ce code postal ne correspond à aucune commune française.");
                break;
            default:
                var known = communes.AtPostalCode(postalCode).Select(c => c.Name).Take(12).ToArray();
                errors.Add("commune", $"Aucune commune de ce nom n'a le code postal {postalCode}. Communes à ce code postal : {string.Join(", ", known)}.");
                break;
        }

        return (null, null);
    }

    public string StageLabel => PorteurForm.Stages[Stage];

    public string LegalStatusLabel => PorteurForm.LegalStatuses[LegalStatus];

    public IEnumerable<string> NeedLabels => Needs.Select(n => PorteurForm.Needs[n]);

    /// <summary>The parts that make two posts "the same intake" (attachments counted by their content hashes).</summary>
    public IEnumerable<string?> FingerprintParts(IEnumerable<string> attachmentHashes) =>
        [FirstName, LastName, Email, Phone, Commune.InseeCode, ProjectTitle, ProjectDescription, Sector, Stage, LegalStatus, string.Join(',', Needs), HeardFrom, .. attachmentHashes];
}
