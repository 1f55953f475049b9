using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory.Console;

/// <summary>
/// The create and edit form of an actor, as typed: kept whole when the form comes back with errors or with the
/// « modified meanwhile » page, then turned into the API's <see cref="ActorInput"/> for the same rules. Lists are
/// one per line (e-mails, phones) or comma-separated (tags), as staff write them.
/// </summary>
public sealed record ActorFormValues(
    string? Name,
    string? Kind,
    string? LegalStatus,
    string? Siret,
    IReadOnlyList<string> Sectors,
    string? Commune,
    string? PostalCode,
    string? Quartier,
    string? Address,
    string? Emails,
    string? Phones,
    string? Website,
    string? Tags,
    string? Newsletter,
    string? ConsentDate,
    string? ConsentSource,
    string? ConsentVersion,
    string? Notes)
{
    public const string Yes = "oui";
    public const string No = "non";

    /// <summary>The form's field names, which are also the ids of its inputs (the error summary links to them).</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
        ["name", "kind", "legalStatus", "siret", "sectors", "commune", "postalCode", "quartier", "address", "emails", "phones", "website", "tags", "newsletter", "consentDate", "consentSource", "consentVersion", "notes"];

    public static ActorFormValues Empty { get; } = new(null, null, null, null, [], null, null, null, null, null, null, null, null, Yes, null, null, null, null);

    public static ActorFormValues FromForm(ConsoleForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new ActorFormValues(
            form.Value("name"), form.Value("kind"), form.Value("legalStatus"), form.Value("siret"), form.Values("sectors"),
            form.Value("commune"), form.Value("postalCode"), form.Value("quartier"), form.Value("address"),
            form.Value("emails"), form.Value("phones"), form.Value("website"), form.Value("tags"), form.Value("newsletter"),
            form.Value("consentDate"), form.Value("consentSource"), form.Value("consentVersion"), form.Value("notes"));
    }

    public static ActorFormValues FromActor(ActorEntity actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new ActorFormValues(
            actor.Name, actor.Kind, actor.LegalStatus, actor.Siret, ActorEntity.SplitList(actor.Sectors),
            actor.CommuneInsee is null ? null : $"{actor.CommuneName} ({actor.CommuneInsee})", actor.PostalCode, actor.Quartier, actor.Address,
            Lines(actor.Emails), Lines(actor.Phones), actor.Website, string.Join(", ", ActorEntity.SplitList(actor.Tags)),
            actor.Newsletter ? Yes : No, actor.ConsentDate, actor.ConsentSource, actor.ConsentTextVersion, actor.Notes);
    }

    /// <summary>
    /// A new actor from a contact message (the inbox's « Créer une fiche dans l'annuaire »): with a structure, the
    /// fiche is the structure's and the person is named in its notes; without, it is the person's (kind individu,
    /// no newsletter until a consent is recorded). The notes say which message it came from.
    /// </summary>
    public static ActorFormValues Prefill(string reference, string? name, string? email, string? organisation, string? phone, Vocabulary kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        static string? Clean(string? text) => text?.Trim() is { Length: > 0 } v ? Truncate(v, 300) : null;
        var person = Clean(name);
        var structure = Clean(organisation);
        var isPerson = structure is null && person is not null;
        var origin = $"Fiche créée à partir du message {reference}.";
        return Empty with
        {
            Name = structure ?? person,
            Kind = isPerson && kinds.IsCode("individu") ? "individu" : null,
            Emails = Clean(email),
            Phones = Clean(phone),
            Newsletter = isPerson ? No : Yes,
            Notes = structure is not null && person is not null ? $"Personne de contact : {person}. {origin}" : origin,
        };
    }

    /// <summary>The form as the API's input, or the errors of what the form itself must resolve (the commune).</summary>
    public ActorInput ToInput(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string? communeInsee = null;
        if (Commune is { } commune)
        {
            var (found, problem) = CommuneText.Resolve(WithoutCode(commune), PostalCode);
            if (found is null)
            {
                errors.Add("commune", problem!);
            }

            communeInsee = found?.InseeCode;
        }

        var consentGiven = ConsentDate is not null || ConsentSource is not null || ConsentVersion is not null;
        return new ActorInput(
            Name,
            Kind,
            LegalStatus,
            Siret,
            Sectors,
            communeInsee,
            Quartier,
            Address,
            PostalCode,
            Split(Emails, ['\n', ',', ';', ' ']),
            Split(Phones, ['\n', ',', ';']),
            Website,
            Split(Tags, [',', ';', '\n']),
            Newsletter switch { Yes => true, No => false, _ => null },
            Notes,
            consentGiven ? new ActorConsentInput(ConsentDate, ConsentSource, ConsentVersion) : null);
    }

    /// <summary>
    /// The API's errors, keyed by its field names, as the form's fields: « emails[1] » is the e-mail field, « consent.date »
    /// the consent's date; the message about the newsletter of a person speaks of the form's choices, not of JSON.
    /// </summary>
    public static void AddErrors(FieldErrors errors, IReadOnlyDictionary<string, string[]> apiErrors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(apiErrors);
        foreach (var field in FieldNames)
        {
            foreach (var (key, messages) in apiErrors)
            {
                if (FieldOf(key) != field)
                {
                    continue;
                }

                foreach (var message in messages)
                {
                    errors.Add(field, field switch
                    {
                        "newsletter" => "Une personne ne reçoit la newsletter qu'avec son consentement : renseignez le consentement (date, source et version du texte) ou choisissez « Non ».",
                        "kind" => "Choisissez le type de la fiche dans la liste.",
                        "sectors" when key != "sectors" => "Un des secteurs cochés n'est plus dans la liste : rechargez la page et cochez à nouveau.",
                        _ => message,
                    });
                }
            }
        }
    }

    /// <summary>Every field as hidden inputs (the « keep my version » form of the conflict page).</summary>
    public IEnumerable<(string Name, string Value)> Hidden()
    {
        (string, string?)[] single =
        [
            ("name", Name), ("kind", Kind), ("legalStatus", LegalStatus), ("siret", Siret), ("commune", Commune), ("postalCode", PostalCode),
            ("quartier", Quartier), ("address", Address), ("emails", Emails), ("phones", Phones), ("website", Website), ("tags", Tags),
            ("newsletter", Newsletter), ("consentDate", ConsentDate), ("consentSource", ConsentSource), ("consentVersion", ConsentVersion), ("notes", Notes),
        ];
        return single.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!)).Concat(Sectors.Select(s => ("sectors", s)));
    }

    private static string FieldOf(string apiKey) => apiKey.Split('[', '.')[0] switch
    {
        "communeInsee" => "commune",
        "consent" => apiKey switch
        {
            "consent.date" => "consentDate",
            "consent.source" => "consentSource",
            _ => "consentVersion",
        },
        var field => field,
    };

    /// <summary>« Rennes (35238) », as the list of communes offers it, is Rennes.</summary>
    private static string WithoutCode(string commune)
    {
        var open = commune.LastIndexOf('(');
        return open > 0 && commune.EndsWith(')') && commune[(open + 1)..^1].Trim() is { Length: 5 } code
            && CommuneDirectory.Instance.FindByInseeCode(code) is not null
            ? code
            : commune;
    }

    private static string? Lines(string? list) => list is null ? null : string.Join("\n", ActorEntity.SplitList(list));

    private static List<string?> Split(string? text, char[] separators) =>
        text is null ? [] : [.. text.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
