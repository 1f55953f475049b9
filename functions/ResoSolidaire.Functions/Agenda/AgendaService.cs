namespace ResoSolidaire.Functions.Agenda;

public enum ModerationOutcome
{
    Done,
    NotFound,
    AlreadyModerated,

    /// <summary>Changed by someone else since the version staff corrected (its ETag).</summary>
    Stale,
}

/// <summary>Proposals, moderation (with mails to the proposer) and the approved agenda of the coming weeks.</summary>
public sealed class AgendaService(
    AgendaStorage storage,
    MailOutbox outbox,
    EmailHasher emailHasher,
    IOptions<MailOptions> mailOptions,
    IOptions<AgendaOptions> options,
    TimeProvider time,
    ILogger<AgendaService> logger)
{
    public async Task<string> ProposeAsync(AgendaEventEntity proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        proposal.RowKey = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}");
        proposal.ProposedAt = now;
        proposal.Status = AgendaStatus.Pending;
        proposal.ContactEmailHash = emailHasher.Hash(EmailAddress.Parse(proposal.ContactEmail));
        await table.AddEntityAsync(proposal, cancellationToken).ConfigureAwait(false);
        var log = await storage.ProposalLogAsync(cancellationToken).ConfigureAwait(false);
        await log.UpsertEntityAsync(
            new ProposalLogEntity { RowKey = proposal.RowKey, ProposedAt = now, OrganiserKind = proposal.OrganiserKind, StartDate = proposal.StartDate },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Agenda event {EventId} proposed", proposal.RowKey);

        await outbox.SendAsync(
            new OutgoingMail(
                mailOptions.Value.StaffRecipientList,
                "Agenda : un événement attend votre validation",
                $"<p>Un événement a été proposé pour l'agenda : <strong>{Html.Encode(proposal.Title)}</strong> ({Html.Encode(proposal.StartDate)}, {Html.Encode(proposal.Commune)}).</p><p>Il attend votre validation dans l'outil de l'équipe.</p>",
                $"Un événement a été proposé pour l'agenda : {proposal.Title} ({proposal.StartDate}, {proposal.Commune}).\n\nIl attend votre validation dans l'outil de l'équipe.\n")
            { Kind = "agenda-proposal", About = [proposal.ContactEmail] },
            "agenda-proposal-" + proposal.RowKey,
            cancellationToken).ConfigureAwait(false);
        return proposal.RowKey;
    }

    /// <summary>The events staff moderate, of one stored status or all, by start date.</summary>
    public async Task<IReadOnlyList<AgendaEventForStaff>> ListForStaffAsync(string? status, CancellationToken cancellationToken)
    {
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition} and Status eq {status}");
        var list = new List<AgendaEventEntity>();
        await foreach (var e in table.QueryAsync<AgendaEventEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(e);
        }

        return [.. list
            .OrderBy(e => e.StartDate, StringComparer.Ordinal)
            .Select(AgendaEventForStaff.From)];
    }

    /// <summary>The events of one stored status (all when null), as stored, by start date: the console's queue.</summary>
    public async Task<IReadOnlyList<AgendaEventEntity>> ListEntitiesAsync(string? status, CancellationToken cancellationToken)
    {
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition} and Status eq {status}");
        var list = new List<AgendaEventEntity>();
        await foreach (var e in table.QueryAsync<AgendaEventEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(e);
        }

        return [.. list.OrderBy(e => e.StartDate, StringComparer.Ordinal).ThenBy(e => e.StartTime ?? "", StringComparer.Ordinal)];
    }

    public async Task<AgendaEventEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 100)
        {
            return null;
        }

        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<AgendaEventEntity>(AgendaEventEntity.Partition, KeySafe.Encode(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>
    /// Corrects an event's own fields (not its proposer, not its status) on the version staff read (<paramref name="ifMatch"/>);
    /// a pending or approved event only: a refused one is gone from the agenda.
    /// </summary>
    public async Task<(ModerationOutcome Outcome, AgendaEventEntity? Event)> EditAsync(string id, AgendaEventEntity details, ETag ifMatch, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(member);
        var entity = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return (ModerationOutcome.NotFound, null);
        }

        if (entity.Status == AgendaStatus.Rejected)
        {
            return (ModerationOutcome.AlreadyModerated, entity);
        }

        if (entity.ETag != ifMatch)
        {
            return (ModerationOutcome.Stale, entity);
        }

        (entity.Title, entity.StartDate, entity.StartTime, entity.EndDate) = (details.Title, details.StartDate, details.StartTime, details.EndDate);
        (entity.Place, entity.Commune, entity.Description, entity.Link, entity.Organiser) = (details.Place, details.Commune, details.Description, details.Link, details.Organiser);
        entity.EditedAt = time.GetUtcNow();
        entity.EditedBy = member.Name;
        entity.EditedByObjectId = member.ObjectId;
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(entity, ifMatch, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            entity.ETag = response.Headers.ETag ?? default;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return (ModerationOutcome.Stale, entity);
        }

        logger.LogInformation("Agenda event {EventId} corrected by staff", id);
        return (ModerationOutcome.Done, entity);
    }

    /// <summary>The public agenda: the approved events of the next <see cref="AgendaOptions.PublicWeeks"/> weeks from today (Europe/Paris).</summary>
    public async Task<IReadOnlyList<AgendaEvent>> PublicAgendaAsync(CancellationToken cancellationToken)
    {
        var events = await UpcomingAsync(LocalDates.Today(time), options.Value.PublicWeeks, cancellationToken).ConfigureAwait(false);
        return [.. events.Select(AgendaEvent.From)];
    }

    /// <summary>Approved events from <paramref name="from"/> (local date) for <paramref name="weeks"/> weeks, by date.</summary>
    public async Task<IReadOnlyList<AgendaEventEntity>> UpcomingAsync(DateOnly from, int weeks, CancellationToken cancellationToken)
    {
        var until = from.AddDays(7 * weeks);
        var fromText = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var untilText = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {AgendaEventEntity.Partition} and Status eq {AgendaStatus.Approved} and StartDate ge {fromText} and StartDate lt {untilText}");
        var list = new List<AgendaEventEntity>();
        await foreach (var e in table.QueryAsync<AgendaEventEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(e);
        }

        return [.. list.OrderBy(e => e.StartDate, StringComparer.Ordinal).ThenBy(e => e.StartTime ?? "", StringComparer.Ordinal)];
    }

    /// <summary>Approves or refuses a pending event, recorded under <paramref name="member"/>; the proposer is mailed either way.</summary>
    public async Task<(ModerationOutcome Outcome, AgendaEventEntity? Event)> ModerateAsync(string id, bool approve, string? reason, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        var entity = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return (ModerationOutcome.NotFound, null);
        }

        if (entity.Status != AgendaStatus.Pending)
        {
            return (ModerationOutcome.AlreadyModerated, entity);
        }

        entity.Status = approve ? AgendaStatus.Approved : AgendaStatus.Rejected;
        entity.RejectionReason = approve ? null : reason;
        entity.ModeratedAt = time.GetUtcNow();
        entity.ModeratedBy = member.Name;
        entity.ModeratedByObjectId = member.ObjectId;
        try
        {
            await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return (ModerationOutcome.AlreadyModerated, entity);
        }

        var log = await storage.ProposalLogAsync(cancellationToken).ConfigureAwait(false);
        await log.UpsertEntityAsync(
            new TableEntity(ProposalLogEntity.Partition, id) { [nameof(ProposalLogEntity.Status)] = entity.Status, [nameof(ProposalLogEntity.ModeratedAt)] = entity.ModeratedAt },
            TableUpdateMode.Merge,
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Agenda event {EventId} moderated: {Status}", id, entity.Status);
        await outbox.SendAsync(ModerationMail(entity), "agenda-moderation-" + id, cancellationToken).ConfigureAwait(false);
        return (ModerationOutcome.Done, entity);
    }

    /// <summary>The mail a refusal sends the proposer, for staff to read before they confirm it.</summary>
    public static OutgoingMail RefusalMail(AgendaEventEntity e, string reason)
    {
        ArgumentNullException.ThrowIfNull(e);
        var copy = new AgendaEventEntity { Title = e.Title, ContactName = e.ContactName, ContactEmail = e.ContactEmail, Status = AgendaStatus.Rejected, RejectionReason = reason };
        return ModerationMail(copy);
    }

    private static OutgoingMail ModerationMail(AgendaEventEntity e)
    {
        var title = Html.Encode(e.Title);
        if (e.Status == AgendaStatus.Approved)
        {
            return new OutgoingMail(
                [e.ContactEmail],
                "Votre événement est publié dans l'agenda de Réso Solidaire",
                $"<p>Bonjour {Html.Encode(e.ContactName)},</p><p>Votre événement <strong>{title}</strong> a été validé : il figurera dans l'agenda et dans la prochaine lettre de Réso Solidaire.</p><p>L'équipe de Réso Solidaire</p>",
                $"Bonjour {e.ContactName},\n\nVotre événement « {e.Title} » a été validé : il figurera dans l'agenda et dans la prochaine lettre de Réso Solidaire.\n\nL'équipe de Réso Solidaire\n")
            { Kind = "agenda-approved" };
        }

        return new OutgoingMail(
            [e.ContactEmail],
            "Votre proposition d'événement n'a pas été retenue",
            $"<p>Bonjour {Html.Encode(e.ContactName)},</p><p>Votre proposition <strong>{title}</strong> n'a pas été retenue pour l'agenda de Réso Solidaire, pour la raison suivante :</p><blockquote style=\"border-left:3px solid #7a1f5c;margin:0;padding-left:12px\">{Html.Encode(e.RejectionReason)}</blockquote><p>N'hésitez pas à nous écrire ou à proposer un autre événement.</p><p>L'équipe de Réso Solidaire</p>",
            $"Bonjour {e.ContactName},\n\nVotre proposition « {e.Title} » n'a pas été retenue pour l'agenda de Réso Solidaire, pour la raison suivante :\n\n{e.RejectionReason}\n\nN'hésitez pas à nous écrire ou à proposer un autre événement.\n\nL'équipe de Réso Solidaire\n")
        { Kind = "agenda-rejected" };
    }
}
