namespace ResoSolidaire.Functions.Directory;

/// <summary>A code stored and exchanged by the API, with the French label people read.</summary>
public sealed record Term(string Code, string Label, IReadOnlyList<string> Synonyms)
{
    public Term(string code, string label)
        : this(code, label, [])
    {
    }
}

/// <summary>A closed list of terms, found by code, label or synonym regardless of case and accents.</summary>
public sealed class Vocabulary
{
    private readonly Dictionary<string, Term> _byKey = new(StringComparer.Ordinal);

    public Vocabulary(IReadOnlyList<Term> terms)
    {
        All = terms;
        foreach (var term in terms)
        {
            _byKey[TextKey.Of(term.Code)] = term;
            _byKey.TryAdd(TextKey.Of(term.Label), term);
            foreach (var synonym in term.Synonyms)
            {
                _byKey.TryAdd(TextKey.Of(synonym), term);
            }
        }
    }

    public IReadOnlyList<Term> All { get; }

    public Term? Find(string? text) => _byKey.GetValueOrDefault(TextKey.Of(text));

    public bool IsCode(string? code) => code is not null && All.Any(t => t.Code == code);

    public string Codes => string.Join(", ", All.Select(t => t.Code));
}

/// <summary>The kinds of actor in the directory.</summary>
public static class ActorKinds
{
    public static Vocabulary Terms { get; } = new(
    [
        new("association", "Association", ["asso", "associations", "association loi 1901"]),
        new("mutuelle", "Mutuelle", ["mutuelles", "mutualite"]),
        new("cooperative", "Coopérative", ["coop", "scop", "scic", "cae", "cooperatives"]),
        new("fondation", "Fondation", ["fondations", "fonds de dotation"]),
        new("entreprise-ess", "Entreprise de l'ESS", ["entreprise ess", "entreprise de l ess", "esus", "entreprise solidaire", "entreprise"]),
        new("collectivite", "Collectivité", ["collectivite territoriale", "mairie", "commune", "epci", "institution"]),
        new("individu", "Individu", ["personne", "particulier", "personne physique", "benevole"]),
        new("etudiant", "Étudiant", ["etudiante", "etudiants", "etudiant e"]),
        new("autre", "Autre", ["divers"]),
    ]);

    /// <summary>
    /// The kinds that are private persons, not structures: the CNIL asks for their prior consent before any
    /// mailing, while a structure's professional address may stay opt-out.
    /// </summary>
    public static IReadOnlySet<string> Persons { get; } = new HashSet<string>(StringComparer.Ordinal) { "individu", "etudiant" };

    public static bool IsPerson(string? kindCode) => kindCode is not null && Persons.Contains(kindCode);
}

/// <summary>
/// The sectors of activity used to classify actors and to target mailings (several per actor). The codes
/// are those of the porteur-de-projet intake form, so that a case's sector finds the partners of its
/// sector, plus two sectors that only structures have (finance solidaire, accompagnement).
/// </summary>
public static class Sectors
{
    public static Vocabulary Terms { get; } = new(
    [
        new("alimentation", "Alimentation, restauration", ["agriculture", "alimentation durable", "circuits courts", "restauration"]),
        new("mobilite", "Mobilité", ["transport", "mobilites"]),
        new("reemploi-recyclage", "Réemploi, recyclage", ["reemploi", "recyclage", "economie circulaire", "recyclerie", "ressourcerie"]),
        new("habitat", "Habitat, logement", ["logement", "habitat participatif"]),
        new("services-personnes", "Services aux personnes", ["aide a domicile", "services a la personne"]),
        new("sante-social", "Santé, action sociale", ["sante", "action sociale", "social", "solidarite", "medico social"]),
        new("culture", "Culture, loisirs", ["loisirs", "arts", "patrimoine", "sport"]),
        new("education-formation", "Éducation, formation", ["education", "formation", "education populaire", "jeunesse"]),
        new("environnement-energie", "Environnement, énergie", ["environnement", "energie", "ecologie", "transition ecologique"]),
        new("insertion-emploi", "Insertion, emploi", ["insertion", "emploi", "iae", "insertion par l activite economique"]),
        new("numerique", "Numérique", ["informatique", "numerique responsable"]),
        new("commerce-artisanat", "Commerce, artisanat", ["commerce", "artisanat", "commerce equitable"]),
        new("finance", "Finance solidaire", ["finance solidaire", "epargne solidaire", "banque"]),
        new("accompagnement", "Accompagnement, conseil", ["conseil", "accompagnement des entreprises", "appui"]),
        new("autre", "Autre", ["divers"]),
    ]);
}
