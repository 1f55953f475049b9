namespace ResoSolidaire.Functions.Contact;

/// <summary>The contact form's share of personal data: the messages (with their consent record) and their duplicate markers.</summary>
public sealed class ContactPersonalData(TableServiceClient tables, StorageNames names, EmailHasher emailHasher, IOptions<RetentionOptions> retention) : IPersonalDataStore, IEmailHashMigration
{
    public string Name => "contact";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken) =>
        [.. (await MessagesOfAsync(subject, cancellationToken).ConfigureAwait(false)).Select(m => PersonalRecords.Of("message", m))];

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken) => new(
        "Messages de contact",
        "Répondre aux messages envoyés par le formulaire de contact du site (gardés 2 ans).",
        [.. (await MessagesOfAsync(subject, cancellationToken).ConfigureAwait(false)).OrderBy(m => m.CreatedAt).Select(m => new PersonalRecord(
            $"Message {m.Reference} du {PersonalRecords.DateTime(m.CreatedAt)}",
            PersonalRecords.Fields(
                ("Nom", m.Name),
                ("Adresse e-mail", m.Email),
                ("Structure", m.Organisation),
                ("Téléphone", FieldRules.PhoneForPeople(m.Phone)),
                ("Sujet", ContactForm.Topics.GetValueOrDefault(m.Topic, m.Topic)),
                ("Message", m.Message),
                ("Lettre d'information demandée", PersonalRecords.YesNo(m.Newsletter)),
                ("Consentement", $"donné le {PersonalRecords.DateTime(m.ConsentAt)} (formulaire « {m.ConsentForm} », texte version {m.ConsentTextVersion})"))))]);

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var messages = await MessagesOfAsync(subject, cancellationToken).ConfigureAwait(false);
        if (messages.Count == 0)
        {
            return 0;
        }

        var references = messages.Select(m => m.Reference).ToHashSet(StringComparer.Ordinal);
        var rows = new List<ITableEntity>(messages);
        var markers = Table().QueryAsync<DuplicateMarkerEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {DuplicateMarkerEntity.RowPrefix} and RowKey lt {"dedup."}"),
            cancellationToken: cancellationToken);
        await foreach (var marker in markers.ConfigureAwait(false))
        {
            if (references.Contains(marker.Reference))
            {
                rows.Add(marker);
            }
        }

        await TableBatches.DeleteAsync(Table(), rows, cancellationToken).ConfigureAwait(false);
        return messages.Count;
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - retention.Value.ContactMessages;
        var prefix = ContactForm.ReferencePrefix + "-";
        var end = ContactForm.ReferencePrefix + ".";
        var expired = Table().QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {prefix} and RowKey lt {end} and CreatedAt lt {before}"),
            select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken);
        try
        {
            return [new PurgeCount("messages", await TableBatches.DeleteAsync(Table(), expired, cancellationToken).ConfigureAwait(false))];
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return [new PurgeCount("messages", 0)];
        }
    }

    private TableClient Table() => tables.GetTableClient(names.Table(ContactForm.TableName));

    /// <summary>Messages stored before the hash existed.</summary>
    public Task<int> HashMissingAsync(CancellationToken cancellationToken) =>
        EmailHashMigrations.HashColumnAsync(Table(), MessagesFilter(), nameof(ContactMessageEntity.Email), nameof(ContactMessageEntity.EmailHash), emailHasher, cancellationToken);

    private static string MessagesFilter() =>
        TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {ContactForm.ReferencePrefix + "-"} and RowKey lt {ContactForm.ReferencePrefix + "."}");

    private async Task<List<ContactMessageEntity>> MessagesOfAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var filter = MessagesFilter() + " and " + TableClient.CreateQueryFilter($"EmailHash eq {subject.Hash}");
        return await EmailHashMigrations.RowsAsync(Table().QueryAsync<ContactMessageEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
