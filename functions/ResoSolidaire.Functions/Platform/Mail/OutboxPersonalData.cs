using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>
/// The outbox's share of personal data: every transactional mail whose body names the address (sent to the
/// person, or to staff about them). Erasure deletes them, pending ones included; the purge deletes sent mails
/// after their retention duration.
/// </summary>
public sealed class OutboxPersonalData(TableServiceClient tables, StorageNames names, IOptions<RetentionOptions> retention) : IPersonalDataStore
{
    public string Name => "courriels";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(string email, CancellationToken cancellationToken) =>
        [.. (await MailsOfAsync(email, cancellationToken).ConfigureAwait(false)).Select(m => OutboxStatus.Terms.Relabel(PersonalRecords.Of("courriel", new
        {
            m.Kind,
            m.Status,
            m.CreatedAt,
            m.SentAt,
            Body = JsonNode.Parse(m.ReadBody()),
        })))];

    public async Task<int> EraseAsync(string email, CancellationToken cancellationToken)
    {
        var mails = await MailsOfAsync(email, cancellationToken).ConfigureAwait(false);
        return await TableBatches.DeleteAsync(Table(), mails, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - retention.Value.OutboxSent;
        var sent = Table().QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutboxEntity.MailPartition} and Status eq {OutboxStatus.Sent} and SentAt lt {before}"),
            select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken);
        try
        {
            return [new PurgeCount("courriels envoyés", await TableBatches.DeleteAsync(Table(), sent, cancellationToken).ConfigureAwait(false))];
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return [new PurgeCount("courriels envoyés", 0)];
        }
    }

    private TableClient Table() => tables.GetTableClient(names.OutboxTable);

    private async Task<List<OutboxEntity>> MailsOfAsync(string email, CancellationToken cancellationToken)
    {
        var found = new List<OutboxEntity>();
        try
        {
            await foreach (var mail in Table().QueryAsync<OutboxEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {OutboxEntity.MailPartition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                // The body is SendGrid's JSON: an address appears as written, or JSON-escaped (never in other case forms we send).
                var body = mail.ReadBody();
                if (body.Contains(email, StringComparison.OrdinalIgnoreCase) || body.Contains(JsonEscaped(email), StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(mail);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // No mail yet.
        }

        return found;
    }

    private static string JsonEscaped(string email) => System.Text.Json.JsonSerializer.Serialize(email).Trim('"');
}
