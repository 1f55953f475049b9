using ResoSolidaire.Functions.Agenda;
using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Newsletter.Editions;

public enum EditionChange
{
    Done,
    NotFound,

    /// <summary>Not in a state that allows the change (sending or sent, or not a draft for an approval).</summary>
    Conflict,

    /// <summary>Changed by someone else since the version the change was made on (its ETag).</summary>
    Stale,
}

/// <summary>Editions and targeted mailings: writing, previewing, test sends, approval, the monthly draft.</summary>
public sealed class EditionService(
    NewsletterStorage storage,
    AgendaService agenda,
    ISpotlightDirectory directory,
    AudienceCriteria criteria,
    EditionRenderer renderer,
    NewsletterLinks links,
    MailOutbox outbox,
    EmailHasher emailHasher,
    IOptions<NewsletterOptions> options,
    IOptions<MailOptions> mailOptions,
    TimeProvider time,
    ILogger<EditionService> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly NewsletterOptions _options = options.Value;

    /// <summary>The name recorded for what the monthly timer does.</summary>
    public const string Timer = "minuteur";

    public async Task<EditionEntity> CreateAsync(EditionInput input, string kind, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(member);
        var table = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var sendDate = input.SendDate is { } d
            ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : SendSchedule.DefaultSendDate(SendSchedule.NextEditionMonth(now, _options.Zone), _options.SendDay);
        var entity = new EditionEntity
        {
            RowKey = string.Create(CultureInfo.InvariantCulture, $"{(kind == EditionKind.Monthly ? "lettre" : "envoi")}-{now:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}"),
            Kind = kind,
            CreatedAt = now,
            CreatedBy = member.Name,
        };
        Apply(entity, input, sendDate);
        Stamp(entity, member, now);
        await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Edition {EditionId} created ({Kind})", entity.RowKey, kind);
        return entity;
    }

    public async Task<EditionEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<EditionEntity>(EditionEntity.Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    public async Task<IReadOnlyList<EditionEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
        var list = new List<EditionEntity>();
        await foreach (var e in table.QueryAsync<EditionEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {EditionEntity.Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(e);
        }

        return [.. list.OrderByDescending(e => e.SendAtUtc)];
    }

    /// <summary>
    /// Changes a draft or an approved edition that has not started; an approved one goes back to draft. With
    /// <paramref name="ifMatch"/> (the version staff edited), a change made meanwhile by someone else is refused.
    /// </summary>
    public async Task<(EditionChange, EditionEntity?)> UpdateAsync(string id, EditionInput input, StaffMember member, CancellationToken cancellationToken, ETag? ifMatch = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(member);
        var entity = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return (EditionChange.NotFound, null);
        }

        if (entity.Status is not (EditionStatus.Draft or EditionStatus.Approved))
        {
            return (EditionChange.Conflict, entity);
        }

        if (ifMatch is { } expected && expected != entity.ETag)
        {
            return (EditionChange.Stale, entity);
        }

        var sendDate = input.SendDate is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : DateOnly.ParseExact(entity.SendDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Apply(entity, input with { SendTime = input.SendTime ?? entity.SendTime }, sendDate);
        entity.Status = EditionStatus.Draft;
        entity.ApprovedAt = null;
        entity.ApprovedBy = null;
        entity.ApprovedByObjectId = null;
        Stamp(entity, member, time.GetUtcNow());
        var saved = await SaveAsync(entity, cancellationToken).ConfigureAwait(false);
        return saved.Item1 == EditionChange.Conflict ? (EditionChange.Stale, entity) : saved;
    }

    /// <summary>Puts an approved edition that has not started back to draft: it will not leave until approved again.</summary>
    public async Task<(EditionChange, EditionEntity?)> WithdrawApprovalAsync(string id, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var entity = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return (EditionChange.NotFound, null);
        }

        if (entity.Status != EditionStatus.Approved)
        {
            return (EditionChange.Conflict, entity);
        }

        entity.Status = EditionStatus.Draft;
        entity.ApprovedAt = null;
        entity.ApprovedBy = null;
        entity.ApprovedByObjectId = null;
        Stamp(entity, member, time.GetUtcNow());
        logger.LogInformation("Edition {EditionId} back to draft", id);
        return await SaveAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(EditionChange, EditionEntity?)> ApproveAsync(string id, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var entity = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return (EditionChange.NotFound, null);
        }

        if (entity.Status != EditionStatus.Draft)
        {
            return (EditionChange.Conflict, entity);
        }

        entity.Status = EditionStatus.Approved;
        entity.ApprovedAt = time.GetUtcNow();
        entity.ApprovedBy = member.Name;
        entity.ApprovedByObjectId = member.ObjectId;
        logger.LogInformation("Edition {EditionId} approved for {SendAt}", id, entity.SendAtUtc);
        return await SaveAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The content of an edition as it would be sent now: the agenda is read from its send date on, the
    /// spotlit structures from the directory, unless the edition was sent: then as they were sent.
    /// </summary>
    public async Task<EditionContent> ContentAsync(EditionEntity entity, CancellationToken cancellationToken) =>
        await ContentAsync(entity, fromDirectory: false, cancellationToken).ConfigureAwait(false);

    private async Task<EditionContent> ContentAsync(EditionEntity entity, bool fromDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var events = await EventsAsync(entity, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AgendaLine> lines = [.. events.Where(e => e.Included).Select(e => e.Line)];

        return new EditionContent(
            entity.RowKey,
            entity.Subject,
            entity.IntroMarkdown,
            JsonSerializer.Deserialize<List<NewsItem>>(entity.NewsJson, Json) ?? [],
            !fromDirectory && SentSpotlight(entity) is { } sent ? sent : await SpotlightAsync(entity, cancellationToken).ConfigureAwait(false),
            lines);
    }

    /// <summary>
    /// The approved agenda events of a monthly edition's weeks (from its send date, <c>AgendaWeeks</c> weeks), each
    /// marked included unless staff left it out; none for a targeted mailing.
    /// </summary>
    public async Task<IReadOnlyList<EditionEvent>> EventsAsync(EditionEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (entity.Kind != EditionKind.Monthly)
        {
            return [];
        }

        var from = DateOnly.ParseExact(entity.SendDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var excluded = ExcludedOf(entity).ToHashSet(StringComparer.Ordinal);
        var events = await agenda.UpcomingAsync(from, _options.AgendaWeeks, cancellationToken).ConfigureAwait(false);
        return [.. events.Select(e => new EditionEvent(
            e.RowKey,
            new AgendaLine(e.Title, DateOnly.ParseExact(e.StartDate, "yyyy-MM-dd", CultureInfo.InvariantCulture), e.StartTime, e.Place, e.Commune, e.Organiser, e.Link),
            !excluded.Contains(e.RowKey)))];
    }

    /// <summary>
    /// The edition as it would leave with staff's unsaved changes: nothing is saved. A value that does not parse
    /// (a date being typed) keeps the saved one.
    /// </summary>
    public async Task<RenderedEdition> PreviewAsync(EditionEntity entity, EditionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(input);
        var draft = new EditionEntity
        {
            RowKey = entity.RowKey,
            Kind = entity.Kind,
            Subject = entity.Subject,
            IntroMarkdown = entity.IntroMarkdown,
            NewsJson = entity.NewsJson,
            SpotlightJson = entity.SpotlightJson,
            ExcludedEventsJson = entity.ExcludedEventsJson,
            SendTime = entity.SendTime,
        };
        var date = DateOnly.TryParseExact(input.SendDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var typed)
            ? typed
            : DateOnly.ParseExact(entity.SendDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sendTime = TimeOnly.TryParseExact(input.SendTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? input.SendTime : null;
        Apply(draft, input with { SendTime = sendTime, Segment = null }, date);
        var content = await ContentAsync(draft, cancellationToken).ConfigureAwait(false);
        return renderer.Render(content, links.Archive(entity.RowKey));
    }

    public async Task<RenderedEdition> RenderAsync(EditionEntity entity, CancellationToken cancellationToken)
    {
        var content = await ContentAsync(entity, cancellationToken).ConfigureAwait(false);
        return renderer.Render(content, links.Archive(entity.RowKey));
    }

    /// <summary>
    /// Renders the edition for its dispatch: the directory is read now, and what it said of the spotlit
    /// structures is kept in the edition (saved with the frozen audience), so the edition and its archive
    /// keep reading as they were sent when an actor changes or leaves the directory later.
    /// </summary>
    public async Task<RenderedEdition> RenderForDispatchAsync(EditionEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var content = await ContentAsync(entity, fromDirectory: true, cancellationToken).ConfigureAwait(false);
        entity.SpotlightSentJson = JsonSerializer.Serialize(content.Spotlight, Json);
        return renderer.Render(content, links.Archive(entity.RowKey));
    }

    /// <summary>
    /// Checks staff input, and that every spotlit structure exists in the directory; returns the errors
    /// keyed by field (<c>spotlight[i].actorId</c> for an unknown structure).
    /// </summary>
    public async Task<FieldErrors> ValidateAsync(EditionInput? input, bool creating, CancellationToken cancellationToken)
    {
        var errors = Validate(input, creating);
        if (input?.Segment is { } segment)
        {
            foreach (var (field, message) in (await criteria.ValidateAsync(segment, "segment", cancellationToken).ConfigureAwait(false)).Summary)
            {
                errors.Add(field, message);
            }
        }

        if (errors.Any || input?.Spotlight is not { Count: > 0 } spotlight)
        {
            return errors;
        }

        var known = await directory.FindAsync([.. spotlight.Select(s => s.ActorId!)], cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < spotlight.Count; i++)
        {
            if (!known.ContainsKey(spotlight[i].ActorId!))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"spotlight[{i}].actorId"), $"Aucune structure de l'annuaire n'a l'identifiant « {spotlight[i].ActorId} ».");
            }
        }

        return errors;
    }

    /// <summary>The structures an edition puts forward, as the directory describes them now, in the edition's order.</summary>
    private async Task<IReadOnlyList<Spotlight>> SpotlightAsync(EditionEntity entity, CancellationToken cancellationToken)
    {
        var refs = (JsonSerializer.Deserialize<List<SpotlightRef>>(entity.SpotlightJson, Json) ?? []).Where(r => !string.IsNullOrEmpty(r.ActorId)).ToList();
        if (refs.Count == 0)
        {
            return [];
        }

        var known = await directory.FindAsync([.. refs.Select(r => r.ActorId!)], cancellationToken).ConfigureAwait(false);
        var list = new List<Spotlight>(refs.Count);
        foreach (var r in refs)
        {
            if (known.TryGetValue(r.ActorId!, out var actor))
            {
                list.Add(string.IsNullOrWhiteSpace(r.Text) ? actor : actor with { Description = r.Text.Trim() });
            }
            else
            {
                logger.LogWarning("Edition {EditionId}: spotlit actor {ActorId} no longer in the directory, left out", entity.RowKey, r.ActorId);
            }
        }

        return list;
    }

    private static List<Spotlight>? SentSpotlight(EditionEntity e) =>
        e.SpotlightSentJson is null ? null : JsonSerializer.Deserialize<List<Spotlight>>(e.SpotlightSentJson, Json) ?? [];

    /// <summary>
    /// Sends the edition as it stands (as saved), marked as a test, to the signed-in person's own mailbox; to the
    /// staff mailboxes (<c>Mail__StaffRecipients</c>) for a caller without one (a script). Returns where it went.
    /// The links in it are the first recipient's own (unsubscribing from a test unsubscribes them).
    /// </summary>
    public async Task<IReadOnlyList<string>> SendTestAsync(EditionEntity entity, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(member);
        var rendered = await RenderAsync(entity, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> to = member.Email is { } own ? [own.Value] : mailOptions.Value.StaffRecipientList;
        var key = emailHasher.Hash(EmailAddress.Parse(to[0]));
        var mail = rendered.ForRecipient(links.Unsubscribe(key), links.Preferences(key));
        await outbox.SendAsync(
            new OutgoingMail(to, "[TEST] " + mail.Subject, mail.Html, mail.Text) { Kind = "newsletter-test" },
            idempotencyKey: null,
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Edition {EditionId}: test sent to {Count} mailboxes", entity.RowKey, to.Count);
        return to;
    }

    /// <summary>
    /// Prepares next month's edition when nobody did: the approved agenda, a default introduction, the
    /// default send date; staff get a preview link. Approved at once only when configured so.
    /// </summary>
    public async Task<EditionEntity?> DraftNextMonthAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var month = SendSchedule.NextEditionMonth(now, _options.Zone);
        var id = SendSchedule.MonthlyId(month);
        if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is not null || await HasMonthlyFor(month, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var monthName = SendSchedule.MonthName(month);
        var entity = new EditionEntity { RowKey = id, Kind = EditionKind.Monthly, CreatedAt = now, CreatedBy = Timer };
        Apply(
            entity,
            new EditionInput(
                $"La lettre de Réso Solidaire – {monthName}",
                $"Bonjour,\n\nVoici les nouvelles de l'économie sociale et solidaire du Pays de Rennes pour {monthName}, et les rendez-vous des structures du réseau.",
                [],
                [],
                null,
                null,
                null),
            SendSchedule.DefaultSendDate(month, _options.SendDay));
        if (_options.AutoApprove)
        {
            entity.Status = EditionStatus.Approved;
            entity.ApprovedAt = now;
        }

        var table = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return null;
        }

        var preview = links.Preview(id);
        var console = links.ConsoleEdition(id);
        var approval = _options.AutoApprove
            ? "Elle partira automatiquement à la date prévue."
            : "Elle ne partira qu'après votre validation.";
        await outbox.SendAsync(
            new OutgoingMail(
                mailOptions.Value.StaffRecipientList,
                $"Lettre de {monthName} : brouillon à relire",
                $"<p>Bonjour,</p><p>Le brouillon de la lettre de {Pages.E(monthName)} est prêt (envoi prévu le {Pages.E(entity.SendDate)} à {Pages.E(entity.SendTime)}). {Pages.E(approval)}</p><p><a href=\"{Pages.E(console)}\">Relire et compléter la lettre dans l'outil de l'équipe</a></p><p><a href=\"{Pages.E(preview)}\">Voir l'aperçu</a></p>",
                $"Bonjour,\n\nLe brouillon de la lettre de {monthName} est prêt (envoi prévu le {entity.SendDate} à {entity.SendTime}). {approval}\n\nRelire et compléter la lettre dans l'outil de l'équipe : {console}\n\nAperçu : {preview}\n")
            { Kind = "newsletter-draft" },
            "newsletter-draft-" + id,
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Monthly edition {EditionId} drafted", id);
        return entity;
    }

    public static EditionView View(EditionEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(
            e.RowKey,
            EditionKind.Terms.Code(e.Kind),
            EditionKind.Terms.Label(e.Kind),
            e.Subject,
            e.IntroMarkdown,
            JsonSerializer.Deserialize<List<NewsItem>>(e.NewsJson, Json) ?? [],
            [.. (JsonSerializer.Deserialize<List<SpotlightRef>>(e.SpotlightJson, Json) ?? []).Where(r => !string.IsNullOrEmpty(r.ActorId))],
            e.SegmentJson is null ? null : AudienceSegment.FromStored(e.SegmentJson),
            e.SendDate,
            e.SendTime,
            e.SendAtUtc,
            EditionStatus.Terms.Code(e.Status),
            EditionStatus.Terms.Label(e.Status),
            e.ApprovedAt,
            new EditionCounts(e.Recipients, e.Sent, e.Failed, e.Uncertain, e.Suppressed),
            SentSpotlight(e))
        {
            ExcludedEvents = ExcludedOf(e),
            ApprovedBy = e.ApprovedBy,
            UpdatedAt = e.UpdatedAt,
            UpdatedBy = e.UpdatedBy,
        };
    }

    public static IReadOnlyList<string> ExcludedOf(EditionEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return JsonSerializer.Deserialize<List<string>>(e.ExcludedEventsJson, Json) ?? [];
    }

    public static IReadOnlyList<NewsItem> NewsOf(EditionEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return JsonSerializer.Deserialize<List<NewsItem>>(e.NewsJson, Json) ?? [];
    }

    public static IReadOnlyList<SpotlightRef> SpotlightOf(EditionEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return [.. (JsonSerializer.Deserialize<List<SpotlightRef>>(e.SpotlightJson, Json) ?? []).Where(r => !string.IsNullOrEmpty(r.ActorId))];
    }

    public static AudienceSegment SegmentOf(EditionEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return AudienceSegment.FromStored(e.SegmentJson);
    }

    /// <summary>Checks staff input; returns the errors keyed by field.</summary>
    public static FieldErrors Validate(EditionInput? input, bool creating)
    {
        var errors = new FieldErrors();
        if (input is null)
        {
            errors.Add("corps", "Le corps de la requête doit être un objet JSON.");
            return errors;
        }

        if (creating || input.Subject is not null)
        {
            FieldRules.Required(errors, "subject", input.Subject, 200, "L'objet");
        }

        if (input.Intro is { Length: > 20_000 })
        {
            errors.Add("intro", "L'introduction dépasse 20 000 caractères.");
        }

        if (input.News is { Count: > 20 } || input.News?.Any(n => string.IsNullOrWhiteSpace(n.Title) || n.Title.Length > 200 || (n.Text ?? "").Length > 5000) == true)
        {
            errors.Add("news", "Au plus 20 nouvelles, chacune avec un titre (200 caractères) et un texte (5 000 caractères).");
        }
        else if (input.News?.Any(n => n.Link is not null && !IsWebAddress(n.Link)) == true)
        {
            errors.Add("news", "Le lien d'une nouvelle doit être une adresse web complète (https://...).");
        }

        if (input.Spotlight is { Count: > 10 } || input.Spotlight?.Any(s => s is null || string.IsNullOrWhiteSpace(s.ActorId) || (s.Text ?? "").Length > 3000) == true)
        {
            errors.Add("spotlight", "Au plus 10 structures, chacune désignée par son identifiant dans l'annuaire (actorId), avec au besoin un texte de présentation (3 000 caractères).");
        }
        else if (input.Spotlight?.GroupBy(s => s.ActorId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add("spotlight", $"La structure « {twice.Key} » est mise en avant deux fois.");
        }

        if (input.ExcludedEvents is { Count: > 200 } || input.ExcludedEvents?.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > 100) == true)
        {
            errors.Add("excludedEvents", "Au plus 200 événements laissés de côté, chacun désigné par son identifiant dans l'agenda.");
        }

        if (input.SendDate is not null && !DateOnly.TryParseExact(input.SendDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add("sendDate", "La date d'envoi doit s'écrire AAAA-MM-JJ.");
        }

        if (input.SendTime is not null && !TimeOnly.TryParseExact(input.SendTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add("sendTime", "L'heure d'envoi doit s'écrire HH:MM.");
        }

        return errors;
    }

    private void Apply(EditionEntity entity, EditionInput input, DateOnly sendDate)
    {
        entity.Subject = input.Subject?.Trim() ?? entity.Subject;
        entity.IntroMarkdown = input.Intro ?? entity.IntroMarkdown;
        if (input.News is not null)
        {
            entity.NewsJson = JsonSerializer.Serialize(input.News, Json);
        }

        if (input.Spotlight is not null)
        {
            entity.SpotlightJson = JsonSerializer.Serialize(input.Spotlight, Json);
        }

        if (input.Segment is not null)
        {
            var segment = input.Segment.Normalized();
            entity.SegmentJson = segment.IsEveryone ? null : JsonSerializer.Serialize(segment, Json);
        }

        if (input.ExcludedEvents is not null)
        {
            entity.ExcludedEventsJson = JsonSerializer.Serialize(input.ExcludedEvents.Distinct(StringComparer.Ordinal), Json);
        }

        entity.SendDate = sendDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        entity.SendTime = input.SendTime ?? (string.IsNullOrEmpty(entity.SendTime) ? _options.SendTime : entity.SendTime);
        entity.SendAtUtc = SendSchedule.ToUtc(sendDate, TimeOnly.ParseExact(entity.SendTime, "HH:mm", CultureInfo.InvariantCulture), _options.Zone);
    }

    /// <summary>A mail and the archive only ever link to http(s) (never javascript: or data:).</summary>
    public static bool IsWebAddress(string text) =>
        text.Length <= 500 && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static void Stamp(EditionEntity entity, StaffMember member, DateTimeOffset now)
    {
        entity.UpdatedAt = now;
        entity.UpdatedBy = member.Name;
        entity.UpdatedByObjectId = member.ObjectId;
    }

    private async Task<bool> HasMonthlyFor(DateOnly month, CancellationToken cancellationToken)
    {
        var prefix = SendSchedule.MonthlyId(month);
        var all = await ListAsync(cancellationToken).ConfigureAwait(false);
        return all.Any(e => e.Kind == EditionKind.Monthly && e.SendDate.StartsWith(prefix, StringComparison.Ordinal));
    }

    private async Task<(EditionChange, EditionEntity?)> SaveAsync(EditionEntity entity, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.Editions, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            entity.ETag = response.Headers.ETag ?? default;
            return (EditionChange.Done, entity);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return (EditionChange.Conflict, entity);
        }
    }
}
