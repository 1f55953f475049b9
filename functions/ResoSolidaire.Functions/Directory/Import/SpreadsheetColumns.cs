namespace ResoSolidaire.Functions.Directory.Import;

/// <summary>The columns of a staff spreadsheet that the import understands.</summary>
public enum Column
{
    Id,
    Name,
    Kind,
    LegalStatus,
    Siret,
    Sectors,
    Commune,
    InseeCode,
    PostalCode,
    Epci,
    Quartier,
    Address,
    Emails,
    Phones,
    Website,
    Tags,
    Newsletter,
    Notes,
    ConsentDate,
    ConsentSource,
    ConsentTextVersion,
}

/// <summary>
/// Recognises header names as staff write them: French, with or without accents, case, punctuation, extra
/// spaces, plural marks (« Secteur(s) », « Secteurs d'activités ») or a trailing number ("E-mail 2"), and
/// their common variants.
/// </summary>
public static partial class SpreadsheetColumns
{
    private static readonly Dictionary<string, Column> ByKey = Build(new()
    {
        [Column.Id] = ["identifiant", "id", "identifiant reso", "id acteur"],
        [Column.Name] = ["nom", "nom de la structure", "nom structure", "structure", "raison sociale", "denomination", "organisme", "organisation", "nom de l acteur", "acteur", "name", "nom prenom", "nom et prenom"],
        [Column.Kind] = ["type", "type d acteur", "type de structure", "type acteur", "categorie", "famille", "nature", "kind"],
        [Column.LegalStatus] = ["statut", "statut juridique", "forme juridique", "status", "legal status"],
        [Column.Siret] = ["siret", "n siret", "no siret", "num siret", "numero siret", "numero de siret", "n de siret"],
        [Column.Sectors] = ["secteur", "secteurs", "secteur d activite", "secteurs d activite", "domaine", "domaines", "domaine d activite", "thematique", "thematiques", "sectors"],
        [Column.Commune] = ["commune", "ville", "localite", "city"],
        [Column.InseeCode] = ["code insee", "insee", "code commune", "code insee commune", "commune insee"],
        [Column.PostalCode] = ["code postal", "cp", "postal code", "code postale"],
        [Column.Epci] = ["epci", "intercommunalite", "communaute de communes", "interco"],
        [Column.Quartier] = ["quartier", "quartier de rennes"],
        [Column.Address] = ["adresse", "adresse postale", "rue", "voie", "address"],
        [Column.Emails] = ["email", "emails", "e mail", "e mails", "mail", "mails", "courriel", "courriels", "adresse mail", "adresse e mail", "adresse electronique", "adresses mail"],
        [Column.Phones] = ["telephone", "telephones", "tel", "tel portable", "portable", "mobile", "phone", "numero de telephone"],
        [Column.Website] = ["site", "site web", "site internet", "web", "url", "website"],
        [Column.Tags] = ["tags", "tag", "etiquette", "etiquettes", "mots cles", "mot cle"],
        [Column.Newsletter] = ["newsletter", "lettre d information", "lettre d info", "abonne newsletter", "inscrit newsletter", "inscription newsletter", "infolettre"],
        [Column.ConsentDate] = ["consentement le", "date du consentement", "date de consentement", "date consentement", "consentement date", "consenti le", "consentement donne le", "date accord", "date de l accord"],
        [Column.ConsentSource] = ["source du consentement", "source consentement", "consentement source", "origine du consentement", "consentement recueilli", "recueilli par", "recueilli lors de", "source de l accord"],
        [Column.ConsentTextVersion] = ["version du texte de consentement", "version du texte", "version du consentement", "version consentement", "consentement version", "texte du consentement", "version texte consentement", "version de la mention"],
        [Column.Notes] = ["notes", "note", "remarques", "remarque", "commentaire", "commentaires", "observations", "observation"],
    });

    /// <summary>Columns that may appear several times, their values joined ("E-mail", "E-mail 2").</summary>
    public static bool IsList(Column column) => column is Column.Sectors or Column.Emails or Column.Phones or Column.Tags;

    public static string Label(Column column) => column switch
    {
        Column.Id => "Identifiant",
        Column.Name => "Nom",
        Column.Kind => "Type",
        Column.LegalStatus => "Statut juridique",
        Column.Siret => "SIRET",
        Column.Sectors => "Secteurs",
        Column.Commune => "Commune",
        Column.InseeCode => "Code INSEE",
        Column.PostalCode => "Code postal",
        Column.Epci => "EPCI",
        Column.Quartier => "Quartier",
        Column.Address => "Adresse",
        Column.Emails => "E-mail",
        Column.Phones => "Téléphone",
        Column.Website => "Site web",
        Column.Tags => "Étiquettes",
        Column.Newsletter => "Newsletter",
        Column.Notes => "Notes",
        Column.ConsentDate => "Consentement le",
        Column.ConsentSource => "Source du consentement",
        Column.ConsentTextVersion => "Version du texte de consentement",
        _ => column.ToString(),
    };

    /// <summary>Every column, in the order the wizard offers them.</summary>
    public static IReadOnlyList<Column> All { get; } = Enum.GetValues<Column>().Where(c => c != Column.Epci).ToList();

    public static Column? Recognise(string header)
    {
        var key = TextKey.Of(PluralMark().Replace(header ?? "", ""));
        if (Find(key) is { } column)
        {
            return column;
        }

        // "E-mail 2", "Téléphone 3", "Secteur 1"
        var trimmed = key.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9').TrimEnd();
        return trimmed.Length < key.Length && Find(trimmed) is { } listed && IsList(listed) ? listed : null;
    }

    private static Column? Find(string key) =>
        ByKey.TryGetValue(key, out var column) ? column
        : BySingularKey.TryGetValue(Singular(key), out column) ? column
        : null;

    private static readonly Dictionary<string, Column> BySingularKey = BuildSingular();

    private static Dictionary<string, Column> BuildSingular()
    {
        var bySingular = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var (key, column) in ByKey)
        {
            bySingular.TryAdd(Singular(key), column);
        }

        return bySingular;
    }

    /// <summary>Each word without a final plural s or x ("secteurs d activites" → "secteur d activite").</summary>
    private static string Singular(string key) =>
        string.Join(' ', key.Split(' ').Select(w => w.Length > 3 && (w.EndsWith('s') || w.EndsWith('x')) ? w[..^1] : w));

    private static Dictionary<string, Column> Build(Dictionary<Column, string[]> names)
    {
        var byKey = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var (column, variants) in names)
        {
            foreach (var variant in variants)
            {
                byKey[TextKey.Of(variant)] = column;
            }
        }

        return byKey;
    }

    /// <summary>A plural or feminine mark in brackets: « (s) », « (es) », « (x) », « (e) ».</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\(\s*(e?s|x|e|e\)\s*\(s)\s*\)", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PluralMark();
}
