using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Agenda.Console;

/// <summary>
/// The agenda's moderation in the staff console: the proposals to moderate with their proposer, an event whose text
/// staff correct before approving it, approval, and refusal with a reason mailed to the proposer (read before it
/// leaves, then confirmed). Approved events go into the public agenda and the newsletter.
/// </summary>
public sealed class AgendaConsole(AgendaService agenda, ConsoleForms forms)
{
    public const string ListPath = ConsolePaths.Home + "/agenda";

    /// <summary>The queue's views: a code in the address, the stored status, the label staff read.</summary>
    public static readonly IReadOnlyList<(string Code, string Status, string Label)> Views =
    [
        ("a-moderer", AgendaStatus.Pending, "À modérer"),
        ("valides", AgendaStatus.Approved, "Validés"),
        ("refuses", AgendaStatus.Rejected, "Refusés"),
    ];

    /// <summary>The event's own fields, as the public form names them (also the ids the error summary links to).</summary>
    public static readonly IReadOnlyList<string> DetailFields = ["title", "startDate", "startTime", "endDate", "place", "commune", "description", "link", "organiser"];

    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["valide"] = "L'événement est validé : il est dans l'agenda public et la prochaine lettre ; son auteur en est prévenu par courriel.",
        ["corrige"] = "Les corrections sont enregistrées.",
        ["refuse"] = "La proposition est refusée ; son auteur a reçu le motif par courriel.",
    };

    public static string EventPath(string id) => ListPath + "/" + Uri.EscapeDataString(id);

    public static string RefusePath(string id) => EventPath(id) + "/refuser";

    [Function(nameof(ConsoleAgenda))]
    public async Task<ConsoleResult> ConsoleAgenda(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/agenda")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var view = Views.FirstOrDefault(v => v.Code == request.Query["etat"].ToString());
        view = view.Code is null ? Views[0] : view;
        var events = await agenda.ListEntitiesAsync(view.Status, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return ConsoleGate.Page<AgendaQueuePage>(new { gate.Member, Events = events, View = view.Code, Flash = Done.GetValueOrDefault(request.Query["fait"].ToString()) });
    }

    [Function(nameof(ConsoleAgendaEvent))]
    public async Task<ConsoleResult> ConsoleAgendaEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/agenda/{id}")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var entity = await agenda.FindAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return entity is null
            ? NotFound(gate.Member)
            : EventPage(request, gate.Member, entity, Fields(entity), new FieldErrors(), Done.GetValueOrDefault(request.Query["fait"].ToString()));
    }

    /// <summary>Saves staff's corrections, and approves the event when « Enregistrer et valider » was pressed.</summary>
    [Function(nameof(ConsoleAgendaEventChange))]
    public async Task<ConsoleResult> ConsoleAgendaEventChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/agenda/{id}")] HttpRequest request,
        string id)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, EventPath(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var entity = await agenda.FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return NotFound(post.Member);
        }

        var fields = DetailFields.ToDictionary(f => f, f => f == "description" ? post.Form.Text(f) ?? "" : post.Form.Value(f) ?? "", StringComparer.Ordinal);
        var errors = new FieldErrors();
        var details = EventProposalForm.CheckDetails(
            new ProposeEventForm(fields["title"], fields["startDate"], fields["startTime"], fields["endDate"], fields["place"], fields["commune"], fields["description"], fields["link"], fields["organiser"], null, null, null, null),
            errors);
        if (errors.Any)
        {
            return EventPage(request, post.Member, entity, fields, errors, null, StatusCodes.Status400BadRequest);
        }

        var version = post.Form.Value("version");
        if (Changed(entity, details))
        {
            var (edited, current) = await agenda.EditAsync(id, details, version is null ? default : new ETag(version), post.Member, ct).ConfigureAwait(false);
            if (edited != ModerationOutcome.Done)
            {
                return Refused(request, post.Member, current ?? entity, fields, edited);
            }
        }

        if (post.Form.Value("action") != "valider")
        {
            return TypedResults.Redirect(EventPath(id) + "?fait=corrige");
        }

        var (outcome, moderated) = await agenda.ModerateAsync(id, approve: true, reason: null, post.Member, ct).ConfigureAwait(false);
        return outcome == ModerationOutcome.Done
            ? TypedResults.Redirect(ListPath + "?fait=valide")
            : Refused(request, post.Member, moderated ?? entity, fields, outcome);
    }

    /// <summary>
    /// A refusal in two steps: the reason is checked and the mail the proposer will get is shown; only the second post
    /// (<c>confirme=oui</c>) refuses and sends it.
    /// </summary>
    [Function(nameof(ConsoleAgendaRefuse))]
    public async Task<ConsoleResult> ConsoleAgendaRefuse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/agenda/{id}/refuser")] HttpRequest request,
        string id)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, EventPath(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var entity = await agenda.FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return NotFound(post.Member);
        }

        var errors = new FieldErrors();
        var reason = FieldRules.Required(errors, "motif", post.Form.Text("motif"), 2000, "Le motif du refus", minLength: 3, multiline: true);
        if (errors.Any)
        {
            return EventPage(request, post.Member, entity, Fields(entity), errors, null, StatusCodes.Status400BadRequest, reason);
        }

        if (post.Form.Value("confirme") != "oui")
        {
            return ConsoleGate.Page<RefusePage>(new { post.Member, Event = entity, Reason = reason, Mail = AgendaService.RefusalMail(entity, reason), Token = forms.Issue(request, post.Member) });
        }

        var (outcome, moderated) = await agenda.ModerateAsync(id, approve: false, reason, post.Member, ct).ConfigureAwait(false);
        return outcome == ModerationOutcome.Done
            ? TypedResults.Redirect(ListPath + "?fait=refuse")
            : Refused(request, post.Member, moderated ?? entity, Fields(moderated ?? entity), outcome);
    }

    public static Dictionary<string, string> Fields(AgendaEventEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["title"] = e.Title,
            ["startDate"] = e.StartDate,
            ["startTime"] = e.StartTime ?? "",
            ["endDate"] = e.EndDate ?? "",
            ["place"] = e.Place,
            ["commune"] = e.Commune,
            ["description"] = e.Description,
            ["link"] = e.Link ?? "",
            ["organiser"] = e.Organiser,
        };
    }

    private static bool Changed(AgendaEventEntity e, AgendaEventEntity d) =>
        (e.Title, e.StartDate, e.StartTime, e.EndDate, e.Place, e.Commune, e.Description, e.Link, e.Organiser)
        != (d.Title, d.StartDate, d.StartTime, d.EndDate, d.Place, d.Commune, d.Description, d.Link, d.Organiser);

    private RazorComponentResult Refused(HttpRequest request, StaffMember member, AgendaEventEntity current, Dictionary<string, string> fields, ModerationOutcome outcome)
    {
        var errors = new FieldErrors();
        errors.Add("title", outcome switch
        {
            ModerationOutcome.Stale => $"Cet événement a été modifié{(current.EditedBy is null ? "" : $" par {current.EditedBy}")} pendant que vous le corrigiez : rien n'a été enregistré. Vos corrections sont ci-dessous ; enregistrez-les de nouveau pour remplacer l'autre version.",
            ModerationOutcome.AlreadyModerated => $"Cet événement a déjà été modéré (« {AgendaStatus.Terms.Label(current.Status)} »{(current.ModeratedBy is null ? "" : $", par {current.ModeratedBy}")}) : rien n'a été changé.",
            _ => "Cet événement est introuvable.",
        });
        return EventPage(request, member, current, fields, errors, null, StatusCodes.Status409Conflict);
    }

    private RazorComponentResult EventPage(HttpRequest request, StaffMember member, AgendaEventEntity entity, IReadOnlyDictionary<string, string> fields, FieldErrors errors, string? flash, int status = StatusCodes.Status200OK, string? reason = null) =>
        ConsoleGate.Page<AgendaEventPage>(
            new { Member = member, Event = entity, Fields = fields, Errors = errors, Flash = flash, Reason = reason, Token = forms.Issue(request, member) },
            status);

    private static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Cet événement est introuvable", Detail = "Il a peut-être été effacé (demande d'effacement, ou proposition refusée passée sa durée de conservation), ou l'adresse est erronée.", Back = ListPath },
            StatusCodes.Status404NotFound);
}

/// <summary>The home page's line for the agenda: the proposals waiting for moderation.</summary>
public sealed class AgendaAttention(AgendaService agenda) : IConsoleAttention
{
    public int Order => 40;

    public async Task<IReadOnlyList<AttentionItem>> ReadAsync(CancellationToken cancellationToken)
    {
        var count = (await agenda.ListEntitiesAsync(AgendaStatus.Pending, cancellationToken).ConfigureAwait(false)).Count;
        return [new AttentionItem(count <= 1 ? "événement proposé à modérer" : "événements proposés à modérer", count, AgendaConsole.ListPath)];
    }
}
