using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Contact;

/// <summary>The contact form's share of personal data: the messages (with their consent record) and their duplicate markers.</summary>
public sealed class ContactPersonalData(TableServiceClient tables, StorageNames names, IOptions<RetentionOptions> retention) : IPersonalDataStore
{
    public string Name => "contact";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(string email, CancellationToken cancellationToken) =>
        [.. (await MessagesOfAsync(email, cancellationToken).ConfigureAwait(false)).Select(m => PersonalRecords.Of("message", m))];

    public async Task<int> EraseAsync(string email, CancellationToken cancellationToken)
    {
        var messages = await MessagesOfAsync(email, cancellationToken).ConfigureAwait(false);
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

    private async Task<List<ContactMessageEntity>> MessagesOfAsync(string email, CancellationToken cancellationToken)
    {
        var found = new List<ContactMessageEntity>();
        var prefix = ContactForm.ReferencePrefix + "-";
        var end = ContactForm.ReferencePrefix + ".";
        try
        {
            var query = Table().QueryAsync<ContactMessageEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {prefix} and RowKey lt {end}"),
                cancellationToken: cancellationToken);
            await foreach (var message in query.ConfigureAwait(false))
            {
                if (PersonalRecords.Same(message.Email, email))
                {
                    found.Add(message);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // The table is created with the first message.
        }

        return found;
    }
}
