using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Http;

namespace ResoSolidaire.Functions.Agenda;

/// <summary>What the agenda form posts. <c>Website</c> is the honeypot.</summary>
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
    string? Website);

public sealed record ProposalReceipt(string Id, string Message);

public sealed record RejectEventRequest(string? Reason);

/// <summary>The public agenda (proposals, approved events) and its moderation by staff.</summary>
public sealed class AgendaFunctions(
    AgendaService agenda,
    FormGate gate,
    IOptions<NewsletterOptions> options,
    TimeProvider time,
    ILogger<AgendaFunctions> logger)
{
    private const string FormName = "agenda";

    internal const string Thanks = "Merci ! Votre événement a bien été reçu. L'équipe le relira avant de le publier dans l'agenda ; vous recevrez un courriel dans les deux cas.";

    [Function(nameof(ProposeEvent))]
    public async Task<IResult> ProposeEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "agenda/events")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = request.HttpContext.RequestAborted;
        var passed = await gate.PassAsync(request, FormName, allowFiles: false, ct).ConfigureAwait(false);
        if (passed.Rejection is { } rejection)
        {
            return PublicRequests.Refuse(request, rejection);
        }

        var body = passed.Body!;
        var kind = body.Kind;

        var errors = new FieldErrors();
        var form = kind == BodyKind.Json
            ? body.Json.ValueKind == JsonValueKind.Object ? FormBodyReader.BindJson<ProposeEventForm>(body.Json, errors) : null
            : new ProposeEventForm(
                body.Field("title"), body.Field("startDate"), body.Field("startTime"), body.Field("endDate"), body.Field("place"), body.Field("commune"),
                body.Field("description"), body.Field("link"), body.Field("organiser"), body.Field("contactName"), body.Field("contactEmail"),
                body.Checked("consent"), body.Field("website"));
        if (form is null)
        {
            if (!errors.Any)
            {
                errors.Add("corps", "Le corps de la requête doit être un objet JSON.");
            }

            return PublicRequests.Refuse(request, FormRejection.Invalid(errors));
        }

        if (Honeypot.IsTripped(form.Website))
        {
            logger.LogWarning("Form {Form}: honeypot filled, proposal dropped", FormName);
            return Answer(kind, "ignore");
        }

        var entity = Validate(form, errors);
        if (errors.Any)
        {
            return PublicRequests.Refuse(request, FormRejection.Invalid(errors));
        }

        if (await gate.AcceptAsync(passed, FormName, ct).ConfigureAwait(false) is { } limited)
        {
            return PublicRequests.Refuse(request, limited);
        }

        entity.ConsentTextVersion = options.Value.ConsentTextVersion;
        var id = await agenda.ProposeAsync(entity, ct).ConfigureAwait(false);
        return Answer(kind, id);
    }

    [Function(nameof(ListAgenda))]
    public async Task<IResult> ListAgenda(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "agenda/events")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), options.Value.Zone).DateTime);
        var events = await agenda.UpcomingAsync(today, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(events.Select(AgendaEvent.From).ToList());
    }

    [Function(nameof(ListAgendaForStaff))]
    public async Task<IResult> ListAgendaForStaff(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "staff/agenda/events")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = request.Query["status"].ToString();
        var status = AgendaStatus.Terms.StoredOf(code);
        if (code.Length > 0 && status is null)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["status"] = [$"Valeurs possibles : {AgendaStatus.Terms.Choices}."] });
        }

        var events = await agenda.ListAsync(status, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(events
            .OrderBy(e => e.StartDate, StringComparer.Ordinal)
            .Select(e => new AgendaEventForStaff(AgendaEvent.From(e), e.ContactName, e.ContactEmail, e.ProposedAt, e.ModeratedAt, e.RejectionReason))
            .ToList());
    }

    [Function(nameof(ApproveEvent))]
    public async Task<IResult> ApproveEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "staff/agenda/events/{id}/approve")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (outcome, entity) = await agenda.ModerateAsync(id, approve: true, reason: null, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Moderated(outcome, entity);
    }

    [Function(nameof(RejectEvent))]
    public async Task<IResult> RejectEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "staff/agenda/events/{id}/reject")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await StaffJsonBinder.ReadAsync<RejectEventRequest>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return body.Problem;
        }

        var errors = new FieldErrors();
        var reason = FieldRules.Required(errors, "reason", body.Value.Reason, 2000, "Le motif", minLength: 3, multiline: true);
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var (outcome, entity) = await agenda.ModerateAsync(id, approve: false, reason, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Moderated(outcome, entity);
    }

    private static IResult Moderated(ModerationOutcome outcome, AgendaEventEntity? entity) => outcome switch
    {
        ModerationOutcome.NotFound => Problems.Problem(StatusCodes.Status404NotFound, "Événement introuvable."),
        ModerationOutcome.AlreadyModerated => Problems.Problem(StatusCodes.Status409Conflict, "Cet événement a déjà été modéré.", $"Son statut est : {AgendaStatus.Terms.Label(entity!.Status)}."),
        _ => TypedResults.Ok(AgendaEvent.From(entity!)),
    };

    private static IResult Answer(BodyKind kind, string id) => kind == BodyKind.Json
        ? TypedResults.Accepted((string?)null, new ProposalReceipt(id, Thanks))
        : PublicRequests.Html("Événement reçu", $"<p>{Pages.E(Thanks)}</p>");

    private static AgendaEventEntity Validate(ProposeEventForm form, FieldErrors errors)
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
            ContactName = FieldRules.Required(errors, "contactName", form.ContactName, 120, "Le nom du contact"),
            ContactEmail = FieldRules.Email(errors, "contactEmail", form.ContactEmail),
        };
        if (form.Consent != true)
        {
            errors.Add("consent", "Merci d'accepter que ces informations soient publiées et conservées.");
        }

        if (entity.EndDate is not null && string.CompareOrdinal(entity.EndDate, entity.StartDate) < 0)
        {
            errors.Add("endDate", "La date de fin précède la date de début.");
        }

        return entity;
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
