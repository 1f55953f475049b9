namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>
/// The outbox's share of personal data: every transactional mail to a person or to staff about them, found
/// through its person rows (<see cref="OutboxEntity.PersonRowKey"/>), by the keyed hash of the address.
/// Erasure deletes the mails, pending ones included, with all their person rows. The purge deletes sent
/// mails after Retention:OutboxSent and failed or uncertain ones after Retention:OutboxFailed.
/// </summary>
public sealed class OutboxPersonalData(TableServiceClient tables, StorageNames names, EmailHasher emailHasher, IOptions<RetentionOptions> retention) : IPersonalDataStore, IEmailHashMigration
{
    public string Name => "courriels";

    public int Order => PersonalDataOrder.Trail;

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken) =>
        [.. (await MailsOfAsync(subject, cancellationToken).ConfigureAwait(false)).Mails.Select(m => OutboxStatus.Terms.Relabel(PersonalRecords.Of("courriel", new
        {
            m.Kind,
            m.Status,
            m.CreatedAt,
            m.SentAt,
            Body = JsonNode.Parse(m.ReadBody()),
        })))];

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var (mails, _) = await MailsOfAsync(subject, cancellationToken).ConfigureAwait(false);
        return new PersonalDataSection(
            "Courriels",
            "Les courriels envoyés à la personne, ou à l'équipe à son sujet (accusés de réception, notifications), gardés le temps de vérifier leur envoi.",
            [.. mails.OrderBy(m => m.CreatedAt).Select(m =>
            {
                var body = JsonNode.Parse(m.ReadBody());
                var text = body?["content"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "text/plain")?["value"]?.GetValue<string>();
                return new PersonalRecord(
                    $"Courriel « {body?["subject"]?.GetValue<string>()} »",
                    PersonalRecords.Fields(
                        ("Destinataires", string.Join(", ", AddressesIn(m.ReadBody()).Distinct(StringComparer.OrdinalIgnoreCase))),
                        ("Créé le", PersonalRecords.DateTime(m.CreatedAt)),
                        ("Envoyé le", m.SentAt is { } sent ? PersonalRecords.DateTime(sent) : null),
                        ("État", OutboxStatus.Terms.Label(m.Status)),
                        ("Texte", text)));
            })]);
    }

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var (mails, personRows) = await MailsOfAsync(subject, cancellationToken).ConfigureAwait(false);
        var rows = new List<ITableEntity>(personRows);
        rows.AddRange(mails.SelectMany(PersonRowsOf));
        rows.AddRange(mails);
        await TableBatches.DeleteAsync(Table(), rows.DistinctBy(r => r.RowKey, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        return mails.Count;
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = retention.Value;
        var sentBefore = now - options.OutboxSent;
        var failedBefore = now - options.OutboxFailed;
        var sent = await PurgeWhereAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutboxEntity.MailPartition} and Status eq {OutboxStatus.Sent} and SentAt lt {sentBefore}"),
            cancellationToken).ConfigureAwait(false);

        // A failed or uncertain mail counts from its creation: its attempts end within hours.
        var failed = await PurgeWhereAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutboxEntity.MailPartition} and (Status eq {OutboxStatus.Failed} or Status eq {OutboxStatus.Uncertain}) and CreatedAt lt {failedBefore}"),
            cancellationToken).ConfigureAwait(false);
        return [new PurgeCount("courriels envoyés", sent), new PurgeCount("courriels en échec ou incertains", failed)];
    }

    /// <summary>
    /// Mails written before person rows existed (no People): their recipients, cc, bcc and reply-to are read from
    /// the SendGrid JSON, parsed as addresses and hashed, and the person rows written.
    /// </summary>
    public async Task<int> HashMissingAsync(CancellationToken cancellationToken)
    {
        var rows = await EmailHashMigrations.RowsAsync(Table().QueryAsync<OutboxEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutboxEntity.MailPartition}"),
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var migrated = 0;
        foreach (var mail in rows.Where(m => m.People is null && !m.RowKey.StartsWith(OutboxEntity.PersonRowPrefix, StringComparison.Ordinal)))
        {
            var people = AddressesIn(mail.ReadBody()).Select(emailHasher.HashOrNull).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var actions = people.Select(hash => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace,
                new TableEntity(OutboxEntity.MailPartition, OutboxEntity.PersonRowKey(hash, mail.RowKey)) { ["Mail"] = mail.RowKey })).ToList();
            actions.Add(new TableTransactionAction(
                TableTransactionActionType.UpdateMerge,
                new TableEntity(OutboxEntity.MailPartition, mail.RowKey) { ["People"] = string.Join('\n', people) },
                mail.ETag));
            try
            {
                await Table().SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                migrated++;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                // Sent, retried or deleted meanwhile: the next start sees it again if it still lacks its rows.
            }
        }

        return migrated;
    }

    /// <summary>Every address of a SendGrid v3 mail body: personalizations' to, cc and bcc, and reply_to.</summary>
    internal static IEnumerable<string> AddressesIn(string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            yield break;
        }

        foreach (var personalization in root?["personalizations"]?.AsArray() ?? [])
        {
            foreach (var field in new[] { "to", "cc", "bcc" })
            {
                foreach (var recipient in personalization?[field]?.AsArray() ?? [])
                {
                    if (recipient?["email"]?.GetValue<string>() is { } email)
                    {
                        yield return email;
                    }
                }
            }
        }

        if (root?["reply_to"]?["email"]?.GetValue<string>() is { } replyTo)
        {
            yield return replyTo;
        }
    }

    private TableClient Table() => tables.GetTableClient(names.OutboxTable);

    private static IEnumerable<ITableEntity> PersonRowsOf(OutboxEntity mail) =>
        mail.PeopleHashes().Select(hash => (ITableEntity)new TableEntity(OutboxEntity.MailPartition, OutboxEntity.PersonRowKey(hash, mail.RowKey)));

    private async Task<int> PurgeWhereAsync(string filter, CancellationToken cancellationToken)
    {
        var expired = await EmailHashMigrations.RowsAsync(Table().QueryAsync<OutboxEntity>(filter, select: ["PartitionKey", "RowKey", "People"], cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (expired.Count == 0)
        {
            return 0;
        }

        // Person rows first: were this stopped halfway, a mail would still be found by its remaining rows.
        await TableBatches.DeleteAsync(Table(), expired.SelectMany(PersonRowsOf), cancellationToken).ConfigureAwait(false);
        return await TableBatches.DeleteAsync(Table(), expired, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The person's mails, found by key range, and their person rows (a row whose mail is gone included).</summary>
    private async Task<(List<OutboxEntity> Mails, List<TableEntity> PersonRows)> MailsOfAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var (from, to) = OutboxEntity.PersonRange(subject.Hash);
        var personRows = await EmailHashMigrations.RowsAsync(Table().QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutboxEntity.MailPartition} and RowKey ge {from} and RowKey lt {to}"),
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var mails = new List<OutboxEntity>();
        foreach (var row in personRows)
        {
            if (row.GetString("Mail") is { } mailKey)
            {
                var mail = await Table().GetEntityIfExistsAsync<OutboxEntity>(OutboxEntity.MailPartition, mailKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (mail.HasValue && mail.Value is { } found)
                {
                    mails.Add(found);
                }
            }
        }

        return (mails, personRows);
    }
}
