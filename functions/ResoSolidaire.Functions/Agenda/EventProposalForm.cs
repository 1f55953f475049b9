using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Agenda;

/// <summary>What the agenda form posts (JSON or form fields of the same names). <c>Website</c> is the honeypot.</summary>
public sealed record ProposeEventForm(
    string? Title,
    string? StartDate,
    string? StartTime,
    string? EndDate,
    string? Place,
    string? Commune,
    string? Description,
    string? Link,
    string? Organiser,
    string? ContactName,
    string? ContactEmail,
    bool? Consent,
    string? Website,
    string? OrganiserKind = null);

/// <summary>
/// The agenda's proposal form, as <see cref="FormPipeline"/> runs it. A proposal is stored as pending and
/// the team is told; it is published only once moderated (the proposer is mailed either way), hence 202.
/// </summary>
public sealed class EventProposalForm(AgendaService agenda, IOptions<FormsOptions> forms, TimeProvider time) : IPublicForm<ProposeEventForm, AgendaEventEntity>
{
    internal const string Thanks = "Merci ! Votre événement a bien été reçu. L'équipe le relira avant de le publier dans l'agenda ; vous recevrez un courriel dans les deux cas.";

    public static readonly IReadOnlyDictionary<string, string> FieldLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["title"] = "Titre de l'événement",
        ["startDate"] = "Date de début",
        ["startTime"] = "Heure de début",
        ["endDate"] = "Date de fin",
        ["place"] = "Lieu",
        ["commune"] = "Commune",
        ["description"] = "Description",
        ["link"] = "Lien",
        ["organiser"] = "Organisateur",
        ["organiserKind"] = "Type de structure organisatrice",
        ["contactName"] = "Nom du contact",
        ["contactEmail"] = "Adresse e-mail du contact",
        ["consent"] = "Consentement",
    };

    public string Name => "agenda";

    public IReadOnlyDictionary<string, string> Labels => FieldLabels;

    public ProposeEventForm FromFields(FormBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new ProposeEventForm(
            body.Field("title"), body.Field("startDate"), body.Field("startTime"), body.Field("endDate"), body.Field("place"), body.Field("commune"),
            body.Field("description"), body.Field("link"), body.Field("organiser"), body.Field("contactName"), body.Field("contactEmail"),
            body.Checked("consent"), body.Field(Honeypot.Field), body.Field("organiserKind"));
    }

    public string? HoneypotOf(ProposeEventForm posted) => posted?.Website;

    /// <summary>An identifier shaped like a real one (time stamp and eight hex digits).</summary>
    public FormResult Decoy() =>
        Proposed(string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyyMMddHHmmss}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}"));

    public FormCheck<AgendaEventEntity> Check(ProposeEventForm posted, FormBody body, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(errors);
        return new(Validate(posted, errors, withContact: true));
    }

    /// <summary>
    /// The event's own fields as staff correct them before approving (title, dates, place, description, link,
    /// organiser), checked as the public form checks them; the proposer's contact and consent are not staff's to change.
    /// </summary>
    public static AgendaEventEntity CheckDetails(ProposeEventForm details, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(errors);
        return Validate(details, errors, withContact: false);
    }

    /// <summary>Stores the proposal as pending; the service tells the team through the outbox.</summary>
    public async Task<FormResult> StoreAsync(AgendaEventEntity submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        submission.ConsentTextVersion = forms.Value.ConsentTextVersion;
        return Proposed(await agenda.ProposeAsync(submission, cancellationToken).ConfigureAwait(false));
    }

    private static FormResult Proposed(string id) => FormResult.Waiting(new PendingReceipt(id, Thanks));

    private static AgendaEventEntity Validate(ProposeEventForm form, FieldErrors errors, bool withContact)
    {
        var entity = new AgendaEventEntity
        {
            Title = FieldRules.Required(errors, "title", form.Title, 200, "Le titre"),
            StartDate = Date(errors, "startDate", form.StartDate, required: true) ?? "",
            StartTime = Time(errors, "startTime", form.StartTime),
            EndDate = Date(errors, "endDate", form.EndDate, required: false),
            Place = FieldRules.Required(errors, "place", form.Place, 200, "Le lieu"),
            Commune = FieldRules.Required(errors, "commune", form.Commune, 100, "La commune"),
            Description = FieldRules.Required(errors, "description", form.Description, 4000, "La description", multiline: true),
            Link = Url(errors, "link", form.Link),
            Organiser = FieldRules.Required(errors, "organiser", form.Organiser, 200, "L'organisateur"),
            OrganiserKind = Kind(errors, form.OrganiserKind),
        };
        if (!withContact)
        {
            return CheckEndDate(entity, errors);
        }

        entity.ContactName = FieldRules.Required(errors, "contactName", form.ContactName, 120, "Le nom du contact");
        entity.ContactEmail = FieldRules.Email(errors, "contactEmail", form.ContactEmail);
        if (form.Consent != true)
        {
            errors.Add("consent", "Merci d'accepter que ces informations soient publiées et conservées.");
        }

        return CheckEndDate(entity, errors);
    }

    private static AgendaEventEntity CheckEndDate(AgendaEventEntity entity, FieldErrors errors)
    {
        if (entity.EndDate is not null && string.CompareOrdinal(entity.EndDate, entity.StartDate) < 0)
        {
            errors.Add("endDate", "La date de fin précède la date de début.");
        }

        return entity;
    }

    private static string? Kind(FieldErrors errors, string? value)
    {
        var text = FieldRules.Clean(value);
        if (text.Length == 0)
        {
            return null;
        }

        var stored = OrganiserKinds.Terms.StoredOf(text);
        if (stored is null)
        {
            errors.Add("organiserKind", $"Type de structure inconnu (valeurs possibles : {OrganiserKinds.Terms.Choices}).");
        }

        return stored;
    }

    private static string? Date(FieldErrors errors, string field, string? value, bool required)
    {
        var text = FieldRules.Clean(value);
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(field, "La date est obligatoire (AAAA-MM-JJ).");
            }

            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(field, "La date doit s'écrire AAAA-MM-JJ.");
            return null;
        }

        return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static string? Time(FieldErrors errors, string field, string? value)
    {
        var text = FieldRules.Clean(value);
        if (text.Length == 0)
        {
            return null;
        }

        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            errors.Add(field, "L'heure doit s'écrire HH:MM.");
            return null;
        }

        return t.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    private static string? Url(FieldErrors errors, string field, string? value)
    {
        var text = FieldRules.Clean(value);
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length > 500 || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add(field, "Le lien doit être une adresse web complète (https://...).");
            return null;
        }

        return uri.ToString();
    }
}
