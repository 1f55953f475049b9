using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Agenda;

/// <summary>
/// The agenda's share of personal data: the proposer's name and address on events. A published event stays
/// (it belongs to its organiser) without its contact; a pending or refused proposal goes.
/// </summary>
public sealed class AgendaPersonalData(NewsletterStorage storage, EmailHasher emailHasher) : IPersonalDataStore, IEmailHashMigration
{
    public string Name => "agenda";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken) =>
        [.. (await EventsOfAsync(subject, cancellationToken).ConfigureAwait(false)).Select(e => PersonalRecords.Of("evenement", e))];

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var events = await EventsOfAsync(subject, cancellationToken).ConfigureAwait(false);
        var table = await storage.TableAsync(NewsletterStorage.AgendaEvents, cancellationToken).ConfigureAwait(false);
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

    public Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PurgeCount>>([]);

    /// <summary>Proposals stored before the hash existed.</summary>
    public async Task<int> HashMissingAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.AgendaEvents, cancellationToken).ConfigureAwait(false);
        return await EmailHashMigrations.HashColumnAsync(
            table, TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition}"), nameof(AgendaEventEntity.ContactEmail), nameof(AgendaEventEntity.ContactEmailHash), emailHasher, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<AgendaEventEntity>> EventsOfAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var table = await storage.TableAsync(NewsletterStorage.AgendaEvents, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition} and ContactEmailHash eq {subject.Hash}");
        return await EmailHashMigrations.RowsAsync(table.QueryAsync<AgendaEventEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
