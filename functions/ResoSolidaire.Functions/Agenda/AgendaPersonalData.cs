using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Agenda;

/// <summary>
/// The agenda's share of personal data: the proposer's name and address on events. A published event stays
/// (it belongs to its organiser) without its contact; a pending or refused proposal goes.
/// </summary>
public sealed class AgendaPersonalData(NewsletterStorage storage) : IPersonalDataStore
{
    public string Name => "agenda";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(string email, CancellationToken cancellationToken) =>
        [.. (await EventsOfAsync(email, cancellationToken).ConfigureAwait(false)).Select(e => AgendaStatus.Terms.Relabel(PersonalRecords.Of("evenement", e)))];

    public async Task<int> EraseAsync(string email, CancellationToken cancellationToken)
    {
        var events = await EventsOfAsync(email, cancellationToken).ConfigureAwait(false);
        var table = await storage.TableAsync(NewsletterStorage.AgendaEvents, cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            if (e.Status == AgendaStatus.Approved)
            {
                e.ContactName = "";
                e.ContactEmail = "";
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

    private async Task<List<AgendaEventEntity>> EventsOfAsync(string email, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(NewsletterStorage.AgendaEvents, cancellationToken).ConfigureAwait(false);
        var found = new List<AgendaEventEntity>();
        await foreach (var e in table.QueryAsync<AgendaEventEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AgendaEventEntity.Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (PersonalRecords.Same(e.ContactEmail, email))
            {
                found.Add(e);
            }
        }

        return found;
    }
}
