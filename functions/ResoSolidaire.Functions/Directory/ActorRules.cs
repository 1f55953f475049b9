using System.Text.RegularExpressions;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The rules an actor must follow, shared by the API and the spreadsheet import. Errors are keyed by the
/// API's field names and worded in French for staff.
/// </summary>
public static partial class ActorRules
{
    public const int MaxNameLength = 200;
    public const int MaxListCount = 10;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    public const int MaxNotesLength = 4000;
    public const int MaxConsentSourceLength = 200;
    public const int MaxConsentTextVersionLength = 50;

    /// <summary>
    /// Checks an actor. <paramref name="today"/> (the association's local day), when given, refuses a consent
    /// dated in the future.
    /// </summary>
    public static (ActorFields? Fields, Dictionary<string, string[]> Errors) Validate(ActorInput input, DirectoryVocabularies vocabulary, DateOnly? today = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Error(string field, string message) =>
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        var name = Clean(input.Name);
        if (name is null)
        {
            Error("name", "Le nom est obligatoire.");
        }
        else if (name.Length > MaxNameLength)
        {
            Error("name", $"Le nom ne doit pas dépasser {MaxNameLength} caractères.");
        }

        var kind = vocabulary.Kinds.Find(input.Kind);
        if (Clean(input.Kind) is null)
        {
            Error("kind", $"Le type d'acteur est obligatoire ({vocabulary.Kinds.Codes}).");
        }
        else if (kind is null)
        {
            Error("kind", $"Type d'acteur inconnu : « {Clean(input.Kind)} » (valeurs possibles : {vocabulary.Kinds.Codes}).");
        }

        var legalStatus = Clean(input.LegalStatus);
        if (legalStatus is { Length: > 100 })
        {
            Error("legalStatus", "Le statut juridique ne doit pas dépasser 100 caractères.");
        }

        string? siret = null;
        if (Clean(input.Siret) is { } siretText)
        {
            siret = Siret.Normalize(siretText);
            if (siret is null)
            {
                Error("siret", "Le SIRET doit compter 14 chiffres.");
            }
            else if (!Siret.IsValid(siret))
            {
                Error("siret", "Ce SIRET n'est pas valide : sa clé de contrôle (Luhn) ne correspond pas. Vérifiez les chiffres.");
                siret = null;
            }
        }

        var sectors = new List<string>();
        foreach (var (value, index) in Items(input.Sectors))
        {
            var term = vocabulary.Sectors.Find(value);
            if (term is null)
            {
                Error($"sectors[{index}]", $"Secteur inconnu : « {value} » (valeurs possibles : {vocabulary.Sectors.Codes}).");
            }
            else if (!sectors.Contains(term.Code))
            {
                sectors.Add(term.Code);
            }
        }

        if (sectors.Count > MaxListCount)
        {
            Error("sectors", $"Au plus {MaxListCount} secteurs.");
        }

        Commune? commune = null;
        if (Clean(input.CommuneInsee) is { } insee)
        {
            commune = CommuneDirectory.Instance.FindByInseeCode(insee);
            if (commune is null)
            {
                Error("communeInsee", $"Code INSEE de commune inconnu : « {insee} ».");
            }
        }

        string? quartier = null;
        if (Clean(input.Quartier) is { } quartierText)
        {
            var found = FindQuartier(quartierText);
            if (found is null)
            {
                Error("quartier", $"Quartier de Rennes inconnu : « {quartierText} » (valeurs possibles : {string.Join(", ", Quartiers.All.Select(q => q.Code))}).");
            }
            else if (commune is null || commune.InseeCode != Quartiers.RennesInseeCode)
            {
                Error("quartier", "Un quartier ne s'indique que pour un acteur de la commune de Rennes (INSEE 35238).");
            }
            else
            {
                quartier = found.Code;
            }
        }

        var address = Clean(input.Address);
        if (address is { Length: > 300 })
        {
            Error("address", "L'adresse ne doit pas dépasser 300 caractères.");
        }

        var postalCode = Clean(input.PostalCode)?.Replace(" ", "", StringComparison.Ordinal);
        if (postalCode is not null)
        {
            if (!PostalCodePattern().IsMatch(postalCode))
            {
                Error("postalCode", "Le code postal doit compter 5 chiffres.");
            }
            else if (commune is not null && commune.PostalCodes.Count > 0 && !commune.PostalCodes.Contains(postalCode))
            {
                Error("postalCode", $"Le code postal {postalCode} ne correspond pas à la commune {commune.Name} ({string.Join(", ", commune.PostalCodes)}).");
            }
        }

        var emails = new List<string>();
        var seen = new HashSet<EmailAddress>();
        foreach (var (value, index) in Items(input.Emails))
        {
            if (!EmailAddress.TryParse(value, out var parsed))
            {
                Error($"emails[{index}]", EmailAddress.InvalidMessage);
            }
            else if (seen.Add(parsed))
            {
                emails.Add(parsed.Value);
            }
        }

        if (emails.Count > MaxListCount)
        {
            Error("emails", $"Au plus {MaxListCount} adresses électroniques.");
        }

        var phones = new List<string>();
        foreach (var (value, index) in Items(input.Phones))
        {
            var digits = value.Count(char.IsAsciiDigit);
            if (!PhonePattern().IsMatch(value) || digits is < 6 or > 15)
            {
                Error($"phones[{index}]", $"Numéro de téléphone invalide : « {value} ».");
            }
            else if (!phones.Contains(value))
            {
                phones.Add(value);
            }
        }

        if (phones.Count > MaxListCount)
        {
            Error("phones", $"Au plus {MaxListCount} numéros de téléphone.");
        }

        string? website = null;
        if (Clean(input.Website) is { } site)
        {
            website = NormalizeWebsite(site);
            if (website is null)
            {
                Error("website", $"Adresse de site web invalide : « {site} ».");
            }
        }

        // A tag is free text, written as the tag vocabulary spells it when it knows it (a former spelling finds the current one).
        var tags = new List<string>();
        foreach (var (typed, index) in Items(input.Tags))
        {
            var value = vocabulary.Tags.Find(typed)?.Label ?? typed;
            if (value.Length > MaxTagLength)
            {
                Error($"tags[{index}]", $"Une étiquette ne doit pas dépasser {MaxTagLength} caractères.");
            }
            else if (TextKey.Of(value).Length == 0)
            {
                Error($"tags[{index}]", $"Une étiquette doit contenir au moins une lettre ou un chiffre : « {typed} ».");
            }
            else if (!tags.Any(t => TextKey.Of(t) == TextKey.Of(value)))
            {
                tags.Add(value);
            }
        }

        if (tags.Count > MaxTags)
        {
            Error("tags", $"Au plus {MaxTags} étiquettes.");
        }

        var notes = input.Notes?.Trim() is { Length: > 0 } n ? n : null;
        if (notes is { Length: > MaxNotesLength })
        {
            Error("notes", $"Les notes ne doivent pas dépasser {MaxNotesLength} caractères.");
        }

        var consent = ValidateConsent(input.Consent, today, Error);

        // A person (individu, étudiant) is opted out unless a consent is recorded; a structure's professional
        // address may stay opt-out. Asking for the newsletter without a consent is refused, not silently undone.
        var newsletter = input.Newsletter ?? true;
        if (kind is not null && ActorKinds.IsPerson(kind.Code) && consent is null)
        {
            if (input.Newsletter == true && IsEmpty(input.Consent))
            {
                Error("newsletter", $"Un acteur de type « {kind.Label} » est une personne : il ne reçoit la newsletter qu'avec son consentement. Renseignez le consentement (date, source et version du texte) ou mettez newsletter à false.");
            }

            newsletter = false;
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new ActorFields(name!, kind!.Code, legalStatus, siret, sectors, commune, quartier, address, postalCode, emails, phones, website, tags, newsletter, notes, consent), errors);
    }

    /// <summary>Is this a person (individu, étudiant) that asks for the newsletter without a consent? The import then leaves it out instead.</summary>
    public static bool LacksConsentForNewsletter(ActorInput input, DirectoryVocabularies vocabulary)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(vocabulary);
        return input.Newsletter == true
            && ActorKinds.IsPerson(vocabulary.Kinds.Find(input.Kind)?.Code)
            && IsEmpty(input.Consent);
    }

    private static bool IsEmpty(ActorConsentInput? consent) =>
        consent is null || (Clean(consent.Date) is null && Clean(consent.Source) is null && Clean(consent.TextVersion) is null);

    private static ActorConsent? ValidateConsent(ActorConsentInput? input, DateOnly? today, Action<string, string> error)
    {
        var dateText = Clean(input?.Date);
        var source = Clean(input?.Source);
        var version = Clean(input?.TextVersion);
        if (dateText is null && source is null && version is null)
        {
            return null;
        }

        var valid = true;
        if (dateText is null)
        {
            error("consent.date", "La date du consentement est obligatoire (AAAA-MM-JJ).");
            valid = false;
        }
        else if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            error("consent.date", $"Date du consentement invalide : « {dateText} » (format AAAA-MM-JJ, par exemple 2026-03-14).");
            valid = false;
        }
        else if (today is { } day && date > day)
        {
            error("consent.date", "La date du consentement ne peut pas être dans le futur.");
            valid = false;
        }

        if (source is null)
        {
            error("consent.source", "La source du consentement est obligatoire (par exemple « bulletin papier, AG 2026 »).");
            valid = false;
        }
        else if (source.Length > MaxConsentSourceLength)
        {
            error("consent.source", $"La source du consentement ne doit pas dépasser {MaxConsentSourceLength} caractères.");
            valid = false;
        }

        if (version is null)
        {
            error("consent.textVersion", "La version du texte de consentement est obligatoire (par exemple « 2026-01 »).");
            valid = false;
        }
        else if (version.Length > MaxConsentTextVersionLength)
        {
            error("consent.textVersion", $"La version du texte de consentement ne doit pas dépasser {MaxConsentTextVersionLength} caractères.");
            valid = false;
        }

        return valid ? new ActorConsent(dateText!, source!, version!) : null;
    }

    public static Quartier? FindQuartier(string text)
    {
        var key = TextKey.Of(text);
        return Quartiers.Find(text.Trim())
            ?? Quartiers.All.FirstOrDefault(q => TextKey.Of(q.Name) == key || TextKey.Of(q.Code) == key
                || q.Number.ToString(CultureInfo.InvariantCulture) == key);
    }

    internal static string? NormalizeWebsite(string text)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Contains('.', StringComparison.Ordinal)
            && !text.Any(char.IsWhiteSpace)
            && candidate.Length <= 300
            ? candidate
            : null;
    }

    private static string? Clean(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static IEnumerable<(string Value, int Index)> Items(IReadOnlyList<string?>? values)
    {
        if (values is null)
        {
            yield break;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (Clean(values[i]) is { } value)
            {
                yield return (value, i);
            }
        }
    }

    [GeneratedRegex("^[0-9]{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex PostalCodePattern();

    [GeneratedRegex(@"^\+?[0-9 .()\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
