using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Newsletter.Console;

/// <summary>An edition in the list, with the failed or uncertain batches of its delivery.</summary>
public sealed record EditionRow(EditionEntity Edition, int Problems);

/// <summary>
/// The editions in the staff console: the list, a new edition or targeted mailing, the editor with its live preview
/// (htmx) or its « Prévisualiser » button (without JavaScript), the test send to the signed-in person, approval after a
/// check of what will leave, and the way back to draft.
/// </summary>
public sealed class EditionsConsole(
    EditionService editions,
    DeliveryReport deliveries,
    AudienceCriteria criteria,
    NewsletterAudience audience,
    ISpotlightDirectory directory,
    ConsoleForms forms,
    IOptions<NewsletterOptions> options,
    TimeProvider time)
{
    public const string Monthly = "mensuelle";

    public const string Mailing = "envoi-cible";

    /// <summary>The list's filters: a code in the address, the label staff read.</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> Filters =
    [
        ("", "Toutes"),
        ("brouillon", "Brouillons à approuver"),
        ("approuvee", "Approuvées, en attente d'envoi"),
        ("en-cours", "En cours d'envoi"),
        ("envoyee", "Envoyées"),
        ("a-verifier", "Envois à vérifier"),
    ];

    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["creee"] = "L'édition est créée. Rédigez-la, prévisualisez-la, puis envoyez-vous un test.",
        ["enregistree"] = "Les modifications sont enregistrées.",
        ["projecteur"] = "La structure est ajoutée au coup de projecteur ; écrivez sa présentation si vous le souhaitez.",
        ["approuvee"] = "L'édition est approuvée : elle partira à la date prévue.",
        ["brouillon"] = "L'édition est repassée en brouillon : elle ne partira pas sans une nouvelle approbation.",
        ["destinataires"] = "Les destinataires de l'envoi sont enregistrés.",
    };

    [Function(nameof(ConsoleEditions))]
    public async Task<ConsoleResult> ConsoleEditions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route)] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var filter = request.Query["statut"].ToString() is var code && Filters.Any(f => f.Code == code) ? code : "";
        var problems = await deliveries.ProblemsAsync(ct).ConfigureAwait(false);
        var rows = (await editions.ListAsync(ct).ConfigureAwait(false))
            .Select(e => new EditionRow(e, problems.GetValueOrDefault(e.RowKey)))
            .Where(r => filter switch
            {
                "brouillon" => r.Edition.Status == EditionStatus.Draft,
                "approuvee" => r.Edition.Status == EditionStatus.Approved,
                "en-cours" => r.Edition.Status == EditionStatus.Sending,
                "envoyee" => r.Edition.Status == EditionStatus.Sent,
                "a-verifier" => r.Problems > 0,
                _ => true,
            })
            .ToList();
        return ConsoleGate.Page<EditionListPage>(new { gate.Member, Rows = rows, Filter = filter });
    }

    [Function(nameof(ConsoleNewEdition))]
    public ConsoleResult ConsoleNewEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/nouvelle")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var kind = request.Query["type"].ToString() == Mailing ? Mailing : Monthly;
        var o = options.Value;
        var date = SendSchedule.DefaultSendDate(SendSchedule.NextEditionMonth(time.GetUtcNow(), o.Zone), o.SendDay);
        return NewPage(request, gate.Member, kind, "", LocalDates.ToText(date), o.SendTime, new FieldErrors());
    }

    [Function(nameof(ConsoleCreateEdition))]
    public async Task<ConsoleResult> ConsoleCreateEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/nouvelle")] HttpRequest request)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewsletterPaths.New).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var form = post.Form;
        var kind = form.Value("type") == Mailing ? Mailing : Monthly;
        var (subject, date, hour) = (form.Value(EditionForm.Subject) ?? "", form.Value(EditionForm.SendDate) ?? "", form.Value(EditionForm.SendTime) ?? "");
        var input = new EditionInput(subject, "", [], [], date.Length == 0 ? null : date, hour.Length == 0 ? null : hour, null);
        var errors = EditionService.Validate(input, creating: true);
        if (date.Length == 0)
        {
            errors.Add(EditionForm.SendDate, "Choisissez la date d'envoi.");
        }

        if (errors.Any)
        {
            return NewPage(request, post.Member, kind, subject, date, hour, errors, StatusCodes.Status400BadRequest);
        }

        var entity = await editions.CreateAsync(input, kind == Mailing ? EditionKind.Mailing : EditionKind.Monthly, post.Member, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Redirect(NewsletterPaths.Edition(entity.RowKey) + "?fait=creee");
    }

    [Function(nameof(ConsoleEdition))]
    public async Task<ConsoleResult> ConsoleEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/{id}")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var entity = await editions.FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return NotFound(gate.Member);
        }

        var done = request.Query["fait"].ToString();
        var flash = done == "test"
            ? $"Un exemplaire de test est parti à {gate.Member.Email?.Value ?? "l'adresse de l'équipe"}, avec l'objet précédé de « [TEST] ». Il reprend la version enregistrée."
            : Done.GetValueOrDefault(done);
        var known = await directory.FindAsync([.. EditionService.SpotlightOf(entity).Select(r => r.ActorId!)], ct).ConfigureAwait(false);
        var fields = EditionFields.Of(entity, known);
        var preview = await editions.RenderAsync(entity, ct).ConfigureAwait(false);
        return await EditorAsync(request, gate.Member, entity, fields, preview, new FieldErrors(), flash, null, null, ct, unsaved: false).ConfigureAwait(false);
    }

    [Function(nameof(ConsoleSaveEdition))]
    public async Task<ConsoleResult> ConsoleSaveEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}")] HttpRequest request,
        string id)
    {
        var post = await ReceiveAsync(request, id).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var (entity, ct) = (post.Edition, request.HttpContext.RequestAborted);

        if (!IsEditable(entity))
        {
            return NoLongerEditable(post.Member, entity);
        }

        var edited = await ReadAsync(post.Form, entity, ct).ConfigureAwait(false);
        if (edited.Action == "chercher")
        {
            var found = edited.SearchText is null ? [] : await directory.SearchAsync(edited.SearchText, 10, ct).ConfigureAwait(false);
            var preview = await editions.PreviewAsync(entity, edited.Input, ct).ConfigureAwait(false);
            return await EditorAsync(request, post.Member, entity, edited.Fields, preview, new FieldErrors(), null, new SpotlightSearch(edited.SearchText ?? "", found), null, ct).ConfigureAwait(false);
        }

        var errors = edited.Errors;
        if (edited.Fields.SendDate.Length == 0)
        {
            errors.Add(EditionForm.SendDate, "Choisissez la date d'envoi.");
        }

        foreach (var (field, message) in (await editions.ValidateAsync(edited.Input, creating: false, ct).ConfigureAwait(false)).Summary)
        {
            errors.Add(FieldOf(field), message);
        }

        if (errors.Any)
        {
            var preview = await editions.PreviewAsync(entity, edited.Input, ct).ConfigureAwait(false);
            return await EditorAsync(request, post.Member, entity, edited.Fields, preview, errors, null, null, null, ct, StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }

        var ifMatch = edited.Fields.Version.Length == 0 ? (ETag?)null : new ETag(edited.Fields.Version);
        var (change, saved) = await editions.UpdateAsync(id, edited.Input, post.Member, ct, ifMatch).ConfigureAwait(false);
        switch (change)
        {
            case EditionChange.Done:
                return TypedResults.Redirect(NewsletterPaths.Edition(id) + "?fait=" + (edited.AddActor is null ? "enregistree" : "projecteur"));
            case EditionChange.Stale when saved is not null:
                // Their text is kept on the page, on top of the current version: saving again replaces the other person's.
                var preview = await editions.PreviewAsync(saved, edited.Input, ct).ConfigureAwait(false);
                var stale = $"Cette édition a été modifiée par {saved.UpdatedBy ?? "une autre personne"} le {(saved.UpdatedAt is { } at ? ConsoleText.DateTime(at) : "")} pendant que vous la rédigiez. Rien n'a été enregistré : vos modifications sont ci-dessous ; en les enregistrant, vous remplacerez sa version (ouvrez l'édition dans un autre onglet pour la lire).";
                return await EditorAsync(request, post.Member, saved, edited.Fields with { Version = saved.ETag.ToString() }, preview, new FieldErrors(), null, null, stale, ct, StatusCodes.Status409Conflict).ConfigureAwait(false);
            case EditionChange.NotFound:
                return NotFound(post.Member);
            default:
                return NoLongerEditable(post.Member, saved ?? entity);
        }
    }

    /// <summary>The preview of the editor's unsaved fields: the panel alone for htmx, else the editor page with it.</summary>
    [Function(nameof(ConsolePreviewEdition))]
    public async Task<ConsoleResult> ConsolePreviewEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}/apercu")] HttpRequest request,
        string id)
    {
        var post = await ReceiveAsync(request, id).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var (entity, ct) = (post.Edition, request.HttpContext.RequestAborted);

        var edited = await ReadAsync(post.Form, entity, ct).ConfigureAwait(false);
        var preview = await editions.PreviewAsync(entity, edited.Input, ct).ConfigureAwait(false);
        if (NewsletterPaths.IsHtmx(request))
        {
            return ConsoleGate.Page<PreviewPanel>(new { Preview = preview, Unsaved = true });
        }

        return await EditorAsync(request, post.Member, entity, edited.Fields, preview, new FieldErrors(), "Voici l'aperçu de vos modifications. Elles ne sont pas encore enregistrées.", null, null, ct).ConfigureAwait(false);
    }

    [Function(nameof(ConsoleTestEdition))]
    public async Task<ConsoleResult> ConsoleTestEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}/test")] HttpRequest request,
        string id)
    {
        var post = await ReceiveAsync(request, id).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var (entity, ct) = (post.Edition, request.HttpContext.RequestAborted);

        await editions.SendTestAsync(entity, post.Member, ct).ConfigureAwait(false);
        return TypedResults.Redirect(NewsletterPaths.Edition(id) + "?fait=test");
    }

    /// <summary>What will leave, to whom and when, before staff approve (GOV.UK « check your answers »).</summary>
    [Function(nameof(ConsoleApprovalCheck))]
    public async Task<ConsoleResult> ConsoleApprovalCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/{id}/approuver")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var entity = await editions.FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return NotFound(gate.Member);
        }

        if (entity.Status != EditionStatus.Draft)
        {
            return TypedResults.Redirect(NewsletterPaths.Edition(id));
        }

        var segment = EditionService.SegmentOf(entity);
        var content = await editions.ContentAsync(entity, ct).ConfigureAwait(false);
        return ConsoleGate.Page<ApprovalPage>(new
        {
            Member = gate.Member,
            Edition = entity,
            Token = forms.Issue(request, gate.Member),
            Content = content,
            Criteria = AudienceCriteria.Describe(segment, await criteria.ChoicesAsync(ct).ConfigureAwait(false)),
            Estimate = await audience.EstimateAsync(segment, 0, ct).ConfigureAwait(false),
            Due = entity.SendAtUtc <= time.GetUtcNow(),
        });
    }

    [Function(nameof(ConsoleApproveEdition))]
    public async Task<ConsoleResult> ConsoleApproveEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}/approuver")] HttpRequest request,
        string id)
    {
        return await ChangeStatusAsync(request, id, NewsletterPaths.Approve(id), "approuvee", editions.ApproveAsync).ConfigureAwait(false);
    }

    [Function(nameof(ConsoleWithdrawApproval))]
    public async Task<ConsoleResult> ConsoleWithdrawApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}/brouillon")] HttpRequest request,
        string id)
    {
        return await ChangeStatusAsync(request, id, NewsletterPaths.Edition(id), "brouillon", editions.WithdrawApprovalAsync).ConfigureAwait(false);
    }

    public static bool IsEditable(EditionEntity edition)
    {
        ArgumentNullException.ThrowIfNull(edition);
        return edition.Status is EditionStatus.Draft or EditionStatus.Approved;
    }

    internal static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Cette édition est introuvable", Detail = "Elle a peut-être été supprimée, ou l'adresse est erronée.", Back = NewsletterPaths.List },
            StatusCodes.Status404NotFound);

    private static RazorComponentResult NoLongerEditable(StaffMember member, EditionEntity edition) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new
            {
                Member = member,
                Title = "Cette édition ne peut plus être modifiée ainsi",
                Detail = $"Son statut est maintenant « {EditionStatus.Terms.Label(edition.Status)} ». Rien n'a été modifié. Rouvrez-la pour voir où elle en est.",
                Back = NewsletterPaths.Edition(edition.RowKey),
            },
            StatusCodes.Status409Conflict);

    /// <summary>An approval or its withdrawal: the form received, the change made, the edition's page with what was done.</summary>
    private async Task<ConsoleResult> ChangeStatusAsync(
        HttpRequest request,
        string id,
        string page,
        string done,
        Func<string, StaffMember, CancellationToken, Task<(EditionChange, EditionEntity?)>> change)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, page).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var (outcome, entity) = await change(id, post.Member, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome switch
        {
            EditionChange.Done => TypedResults.Redirect(NewsletterPaths.Edition(id) + "?fait=" + done),
            EditionChange.NotFound => NotFound(post.Member),
            _ => NoLongerEditable(post.Member, entity!),
        };
    }

    /// <summary>The editor's form of an edition that exists, or the answer that refuses it (the form's, or a 404).</summary>
    private async Task<EditionPost> ReceiveAsync(HttpRequest request, string id)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewsletterPaths.Edition(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return new EditionPost(null, null, null, post.Refusal);
        }

        var entity = await editions.FindAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return entity is null ? new EditionPost(null, null, null, NotFound(post.Member)) : new EditionPost(post.Member, post.Form, entity, null);
    }

    /// <summary>A form posted about an edition: who sent it, its fields and the edition, or the answer that refuses it.</summary>
    private sealed record EditionPost(StaffMember? Member, ConsoleForm? Form, EditionEntity? Edition, ConsoleResult? Refusal)
    {
        [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Member), nameof(Form), nameof(Edition))]
        [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Refusal))]
        public bool IsAccepted => Edition is not null;
    }

    /// <summary>A field of the edition service's checks, as the editor names it.</summary>
    private static string FieldOf(string field)
    {
        if (field.StartsWith("spotlight[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is > 10 and var end
            && int.TryParse(field.AsSpan(10, end - 10), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return EditionForm.SpotlightField(index, "retirer");
        }

        return field switch
        {
            "spotlight" => EditionForm.Search,
            "excludedEvents" => "agenda",
            _ => field,
        };
    }

    private async Task<EditionForm> ReadAsync(ConsoleForm form, EditionEntity entity, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, 10).Select(i => form.Value(EditionForm.SpotlightField(i, "id"))).Append(form.Value(EditionForm.Add)).OfType<string>().ToList();
        var known = ids.Count == 0 ? new Dictionary<string, Spotlight>() : await directory.FindAsync(ids, ct).ConfigureAwait(false);
        return EditionForm.Read(form, entity, known);
    }

    private async Task<RazorComponentResult> EditorAsync(
        HttpRequest request,
        StaffMember member,
        EditionEntity entity,
        EditionFields fields,
        RenderedEdition preview,
        FieldErrors errors,
        string? flash,
        SpotlightSearch? search,
        string? stale,
        CancellationToken ct,
        int status = StatusCodes.Status200OK,
        bool unsaved = true)
    {
        // The agenda of the weeks the typed send date gives, with the events left out as the fields say.
        var shown = new EditionEntity
        {
            RowKey = entity.RowKey,
            Kind = entity.Kind,
            SendDate = LocalDates.Parse(fields.SendDate) is { } date ? LocalDates.ToText(date) : entity.SendDate,
            ExcludedEventsJson = JsonSerializer.Serialize(fields.ExcludedEvents),
        };
        var events = await editions.EventsAsync(shown, ct).ConfigureAwait(false);
        var segment = EditionService.SegmentOf(entity);
        IReadOnlyList<(string, string)> criteriaLines = entity.Kind == EditionKind.Mailing
            ? AudienceCriteria.Describe(segment, await criteria.ChoicesAsync(ct).ConfigureAwait(false))
            : [];
        return ConsoleGate.Page<EditionPage>(
            new
            {
                Member = member,
                Edition = entity,
                Fields = fields,
                Events = events,
                AgendaWeeks = options.Value.AgendaWeeks,
                Preview = preview,
                Errors = errors,
                Flash = flash,
                Search = search,
                Stale = stale,
                Criteria = criteriaLines,
                Token = forms.Issue(request, member),
                Editable = IsEditable(entity),
                Unsaved = unsaved,
            },
            status);
    }

    private RazorComponentResult NewPage(HttpRequest request, StaffMember member, string kind, string subject, string date, string hour, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        ConsoleGate.Page<NewEditionPage>(
            new { Member = member, Token = forms.Issue(request, member), Kind = kind, Subject = subject, SendDate = date, SendTime = hour, Errors = errors },
            status);
}

/// <summary>A search of the directory from the editor, and the structures found.</summary>
public sealed record SpotlightSearch(string Text, IReadOnlyList<Spotlight> Found);
