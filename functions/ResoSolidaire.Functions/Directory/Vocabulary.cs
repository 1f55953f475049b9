namespace ResoSolidaire.Functions.Directory;

/// <summary>A code stored and exchanged by the API, with the French label people read.</summary>
public sealed record Term(string Code, string Label, IReadOnlyList<string> Synonyms)
{
    public Term(string code, string label)
        : this(code, label, [])
    {
    }
}

/// <summary>
/// A term that is no longer offered: retired (its label still names the code on old records, such as a porteur's
/// intake), or merged into another term (its code, label and synonyms now find that term).
/// </summary>
public sealed record FormerTerm(Term Term, string? MergedInto);

/// <summary>
/// A list of terms, found by code, label or synonym regardless of case and accents. The active terms are the
/// ones offered and accepted; a merged term's spellings find the term it was merged into; a retired term is
/// found by nobody but still has its label.
/// </summary>
public sealed class Vocabulary
{
    private readonly Dictionary<string, Term> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Term> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _formerLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _mergedCodes = new(StringComparer.Ordinal);

    public Vocabulary(IReadOnlyList<Term> terms, IReadOnlyList<FormerTerm>? former = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        All = terms;
        Former = former ?? [];
        foreach (var term in terms)
        {
            _byCode[term.Code] = term;
            _byKey[TextKey.Of(term.Code)] = term;
        }

        foreach (var term in terms)
        {
            _byKey.TryAdd(TextKey.Of(term.Label), term);
        }

        foreach (var term in terms)
        {
            foreach (var synonym in term.Synonyms)
            {
                _byKey.TryAdd(TextKey.Of(synonym), term);
            }
        }

        foreach (var formerTerm in Former)
        {
            _formerLabels[formerTerm.Term.Code] = formerTerm.Term.Label;
            if (formerTerm.MergedInto is { } target && _byCode.TryGetValue(target, out var into))
            {
                (_mergedCodes.TryGetValue(target, out var codes) ? codes : _mergedCodes[target] = []).Add(formerTerm.Term.Code);
                foreach (var spelling in (string[])[formerTerm.Term.Code, formerTerm.Term.Label, .. formerTerm.Term.Synonyms])
                {
                    _byKey.TryAdd(TextKey.Of(spelling), into);
                }
            }
        }
    }

    /// <summary>The active terms, in the order they are offered.</summary>
    public IReadOnlyList<Term> All { get; }

    /// <summary>The terms retired or merged into another.</summary>
    public IReadOnlyList<FormerTerm> Former { get; }

    /// <summary>The active term a code, label or synonym names (a merged term's spellings name its target); null if none.</summary>
    public Term? Find(string? text) => _byKey.GetValueOrDefault(TextKey.Of(text));

    /// <summary>The active term of this exact code.</summary>
    public Term? ByCode(string? code) => code is null ? null : _byCode.GetValueOrDefault(code);

    public bool IsCode(string? code) => code is not null && _byCode.ContainsKey(code);

    /// <summary>Is this the code of a term, active or former (what old records may carry)?</summary>
    public bool Knows(string? code) => code is not null && (_byCode.ContainsKey(code) || _formerLabels.ContainsKey(code));

    /// <summary>What people read for a stored code: its label, the label of the term it was merged into, a retired term's label, or the code itself.</summary>
    public string Label(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return _byCode.TryGetValue(code, out var term) ? term.Label
            : Find(code) is { } target ? target.Label
            : _formerLabels.GetValueOrDefault(code, code);
    }

    /// <summary>The code and the codes merged into it: what a filter on that code matches while actors are being rewritten.</summary>
    public IReadOnlyList<string> CodesOf(string code) =>
        _mergedCodes.TryGetValue(code, out var merged) ? [code, .. merged] : [code];

    /// <summary>
    /// The comparison keys (<see cref="TextKey"/>) a stored value of this term may carry: its label and synonyms, and
    /// those of the terms merged into it (tags are stored as text: a rename or merge rewrites them, and meanwhile
    /// the old spellings still count).
    /// </summary>
    public IReadOnlySet<string> KeysOf(Term term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var keys = new HashSet<string>(StringComparer.Ordinal) { TextKey.Of(term.Label) };
        keys.UnionWith(term.Synonyms.Select(TextKey.Of));
        foreach (var code in CodesOf(term.Code).Skip(1))
        {
            var former = Former.First(f => f.Term.Code == code).Term;
            keys.Add(TextKey.Of(former.Label));
            keys.UnionWith(former.Synonyms.Select(TextKey.Of));
        }

        keys.Remove("");
        return keys;
    }

    public string Codes => string.Join(", ", All.Select(t => t.Code));
}

/// <summary>
/// The directory's three vocabularies as they stand: kinds and sectors (actors store their codes) and tags (actors
/// store their labels). Read from <see cref="Vocabularies.VocabularyStore"/>; <see cref="Seed"/> is the lists the store
/// starts from.
/// </summary>
public sealed record DirectoryVocabularies(Vocabulary Kinds, Vocabulary Sectors, Vocabulary Tags)
{
    public static DirectoryVocabularies Seed { get; } = new(ActorKinds.Terms, Directory.Sectors.Terms, new Vocabulary([]));
}

/// <summary>
/// The kinds of actor the directory started with: the seed of the « kinds » vocabulary, which staff then keep in
/// the console (<see cref="Vocabularies.VocabularyStore"/>). The person kinds are fixed here, since the consent rule hangs on them.
/// </summary>
public static class ActorKinds
{
    public static Vocabulary Terms { get; } = new(
    [
        new("association", "Association", ["asso", "associations", "association loi 1901"]),
        new("mutuelle", "Mutuelle", ["mutuelles", "mutualité"]),
        new("cooperative", "Coopérative", ["coop", "SCOP", "SCIC", "CAE", "coopératives"]),
        new("fondation", "Fondation", ["fondations", "fonds de dotation"]),
        new("entreprise-ess", "Entreprise de l'ESS", ["entreprise ESS", "ESUS", "entreprise solidaire", "entreprise"]),
        new("collectivite", "Collectivité", ["collectivité territoriale", "mairie", "commune", "EPCI", "institution"]),
        new("individu", "Individu", ["personne", "particulier", "personne physique", "bénévole"]),
        new("etudiant", "Étudiant", ["étudiante", "étudiants", "étudiant·e"]),
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
/// The sectors of activity the directory started with (several per actor): the seed of the « sectors »
/// vocabulary, which staff then keep in the console (<see cref="Vocabularies.VocabularyStore"/>). The website's porteur
/// intake form offers the same list, read from the public reference endpoint (GET /api/territory).
/// </summary>
public static class Sectors
{
    public static Vocabulary Terms { get; } = new(
    [
        new("alimentation", "Alimentation, restauration", ["agriculture", "alimentation durable", "circuits courts", "restauration"]),
        new("mobilite", "Mobilité", ["transport", "mobilités"]),
        new("reemploi-recyclage", "Réemploi, recyclage", ["réemploi", "recyclage", "économie circulaire", "recyclerie", "ressourcerie"]),
        new("habitat", "Habitat, logement", ["logement", "habitat participatif"]),
        new("services-personnes", "Services aux personnes", ["aide à domicile", "services à la personne"]),
        new("sante-social", "Santé, action sociale", ["santé", "action sociale", "social", "solidarité", "médico-social"]),
        new("culture", "Culture, loisirs", ["loisirs", "arts", "patrimoine", "sport"]),
        new("education-formation", "Éducation, formation", ["éducation", "formation", "éducation populaire", "jeunesse"]),
        new("environnement-energie", "Environnement, énergie", ["environnement", "énergie", "écologie", "transition écologique"]),
        new("insertion-emploi", "Insertion, emploi", ["insertion", "emploi", "IAE", "insertion par l'activité économique"]),
        new("numerique", "Numérique", ["informatique", "numérique responsable"]),
        new("commerce-artisanat", "Commerce, artisanat", ["commerce", "artisanat", "commerce équitable"]),
        new("finance", "Finance solidaire", ["finance solidaire", "épargne solidaire", "banque"]),
        new("accompagnement", "Accompagnement, conseil", ["conseil", "accompagnement des entreprises", "appui"]),
        new("autre", "Autre", ["divers"]),
    ]);
}
