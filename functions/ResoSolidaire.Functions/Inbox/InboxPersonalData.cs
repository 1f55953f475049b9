using ResoSolidaire.Functions.Contact;

namespace ResoSolidaire.Functions.Inbox;

/// <summary>
/// The inbox's share of personal data: the handling notes of a person's contact messages (found through the
/// messages, so erased before them). The purge takes the handling of messages past their retention (purged
/// next, by the contact store) and of messages already gone.
/// </summary>
public sealed class InboxPersonalData(ContactMessageStore messages, TableServiceClient tables, StorageNames names, IOptions<RetentionOptions> retention) : IPersonalDataStore
{
    public string Name => "inbox";

    public int Order => PersonalDataOrder.Dependents;

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var found = new List<JsonObject>();
        foreach (var reference in await ReferencesAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            var row = await Handling().GetEntityIfExistsAsync<HandlingEntity>(HandlingEntity.Partition, reference, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (row.HasValue && row.Value is { } handling)
            {
                found.Add(PersonalRecords.Of("traitement", new { Reference = reference, handling.HandledAt, handling.HandledBy, handling.Note }));
            }
        }

        return found;
    }

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var records = new List<PersonalRecord>();
        foreach (var reference in await ReferencesAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            var row = await Handling().GetEntityIfExistsAsync<HandlingEntity>(HandlingEntity.Partition, reference, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (row.HasValue && row.Value is { } handling)
            {
                records.Add(new PersonalRecord(
                    $"Suivi du message {reference}",
                    PersonalRecords.Fields(("Traité le", PersonalRecords.DateTime(handling.HandledAt)), ("Par", handling.HandledBy), ("Note de l'équipe", handling.Note))));
            }
        }

        return new PersonalDataSection("Suivi des messages par l'équipe", "Savoir quels messages ont reçu une réponse, et laquelle.", records);
    }

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var erased = 0;
        foreach (var reference in await ReferencesAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var response = await Handling().DeleteEntityAsync(HandlingEntity.Partition, reference, ETag.All, cancellationToken).ConfigureAwait(false);
                erased += response.Status == (int)HttpStatusCode.NotFound ? 0 : 1;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
            {
                // No handling table yet.
            }
        }

        return erased;
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - retention.Value.ContactMessages;
        var orphans = new List<ITableEntity>();
        try
        {
            await foreach (var row in Handling().QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {HandlingEntity.Partition}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (await messages.ReceivedAtAsync(row.RowKey, cancellationToken).ConfigureAwait(false) is not { } received || received < before)
                {
                    orphans.Add(row);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return [new PurgeCount("traitements", 0)];
        }

        return [new PurgeCount("traitements", await TableBatches.DeleteAsync(Handling(), orphans, cancellationToken).ConfigureAwait(false))];
    }

    private TableClient Handling() => tables.GetTableClient(names.Table(ContactInbox.TableName));

    private Task<IReadOnlyList<string>> ReferencesAsync(PersonalDataSubject subject, CancellationToken cancellationToken) =>
        messages.ReferencesOfAsync(subject.Hash, cancellationToken);
}
