namespace ResoSolidaire.Functions.Agenda;

/// <summary>
/// The agenda's share of personal data: the proposer's name and address on events. A published event stays
/// (it belongs to its organiser) without its contact; a pending or refused proposal goes. The retention pass
/// does the same once the contact is no longer needed: some time after the event's last day, or after a refusal.
/// </summary>
public sealed class AgendaPersonalData(AgendaStorage storage, EmailHasher emailHasher, IOptions<RetentionOptions> retention) : IPersonalDataStore, IEmailHashMigration
{
    public string Name => "agenda";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken) =>
        [.. (await EventsOfAsync(subject, cancellationToken).ConfigureAwait(false)).Select(e => AgendaStatus.Terms.Relabel(PersonalRecords.Of("evenement", e)))];

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken) => new(
        "Agenda",
        "Publier les événements proposés pour l'agenda et joindre la personne qui les a proposés.",
        [.. (await EventsOfAsync(subject, cancellationToken).ConfigureAwait(false)).OrderBy(e => e.ProposedAt).Select(e => new PersonalRecord(
            $"Événement proposé le {PersonalRecords.DateTime(e.ProposedAt)} : {e.Title}",
            PersonalRecords.Fields(
                ("Date", PersonalRecords.Date(e.StartDate)),
                ("Lieu", $"{e.Place}, {e.Commune}"),
                ("Organisateur", e.Organiser),
                ("Contact", e.ContactName),
                ("Adresse e-mail du contact", e.ContactEmail),
                ("État", AgendaStatus.Terms.Label(e.Status))),
            e.Status == AgendaStatus.Approved ? ErasureEffect.Anonymised : ErasureEffect.Deleted,
            e.Status == AgendaStatus.Approved ? "L'événement est publié et appartient à sa structure organisatrice : il reste dans l'agenda, sans le nom ni l'adresse du contact." : null))]);

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var events = await EventsOfAsync(subject, cancellationToken).ConfigureAwait(false);
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            if (e.Status == AgendaStatus.Approved)
            {
                e.ContactName = "";
                e.ContactEmail = "";
                e.ContactEmailHash = "";
                await table.UpdateEntityAsync(e, ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
        }

        return events.Count;
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = retention.Value;

        // Event days are local days: an event is past the duration once its last day is before the local day then.
        var pastBefore = LocalDates.DayOf(now - options.AgendaProposerContacts);
        var rejectedBefore = now - options.RejectedAgendaProposals;
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        var toDelete = new List<AgendaEventEntity>();
        var toBlank = new List<AgendaEventEntity>();
        int rejected = 0, unmoderated = 0;
        await foreach (var e in table.QueryAsync<AgendaEventEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var past = LastDay(e) is { } last && last < pastBefore;
            if (e.Status == AgendaStatus.Rejected && ((e.ModeratedAt ?? e.ProposedAt) < rejectedBefore || past))
            {
                toDelete.Add(e);
                rejected++;
            }
            else if (e.Status == AgendaStatus.Pending && past)
            {
                toDelete.Add(e);
                unmoderated++;
            }
            else if (e.Status == AgendaStatus.Approved && past && (e.ContactName.Length > 0 || e.ContactEmail.Length > 0))
            {
                toBlank.Add(e);
            }
        }

        await TableBatches.DeleteAsync(table, toDelete, cancellationToken).ConfigureAwait(false);
        var blanked = 0;
        foreach (var e in toBlank)
        {
            try
            {
                var blank = new TableEntity(e.PartitionKey, e.RowKey) { [nameof(AgendaEventEntity.ContactName)] = "", [nameof(AgendaEventEntity.ContactEmail)] = "", [nameof(AgendaEventEntity.ContactEmailHash)] = "" };
                await table.UpdateEntityAsync(blank, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                blanked++;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
            {
                // Deleted by staff meanwhile.
            }
        }

        return
        [
            new PurgeCount("propositions refusées", rejected),
            new PurgeCount("propositions passées jamais modérées", unmoderated),
            new PurgeCount("contacts d'événements passés effacés", blanked),
        ];
    }

    private static DateOnly? LastDay(AgendaEventEntity e) =>
        DateOnly.TryParseExact(e.EndDate ?? e.StartDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>Proposals stored before the hash existed.</summary>
    public async Task<int> HashMissingAsync(CancellationToken cancellationToken)
    {
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        return await EmailHashMigrations.HashColumnAsync(
            table, TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition}"), nameof(AgendaEventEntity.ContactEmail), nameof(AgendaEventEntity.ContactEmailHash), emailHasher, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<AgendaEventEntity>> EventsOfAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var table = await storage.EventsAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition} and ContactEmailHash eq {subject.Hash}");
        return await EmailHashMigrations.RowsAsync(table.QueryAsync<AgendaEventEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
