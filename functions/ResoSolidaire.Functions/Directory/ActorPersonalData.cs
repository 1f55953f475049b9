using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The directory's share of personal data: actors listing the address. A person (individu, étudiant) whose
/// only address it is goes; a structure keeps its entry without that address (a structure is not a person,
/// but the address may be someone's own). The directory has no retention limit: staff keep it current.
/// </summary>
public sealed class ActorPersonalData(ActorStore store, TimeProvider time) : IPersonalDataStore
{
    private static HashSet<string> PersonKinds { get; } = new(StringComparer.Ordinal) { "individu", "etudiant" };

    public string Name => "annuaire";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(string email, CancellationToken cancellationToken)
    {
        var found = new List<JsonObject>();
        await foreach (var actor in store.ScanAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (Lists(actor, email))
            {
                found.Add(PersonalRecords.Of("acteur", ActorMapping.ToDto(actor)));
            }
        }

        return found;
    }

    public async Task<int> EraseAsync(string email, CancellationToken cancellationToken)
    {
        var matching = new List<ActorEntity>();
        await foreach (var actor in store.ScanAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (Lists(actor, email))
            {
                matching.Add(actor);
            }
        }

        var table = await store.TableAsync(cancellationToken).ConfigureAwait(false);
        foreach (var actor in matching)
        {
            var others = ActorEntity.SplitList(actor.Emails).Where(e => !PersonalRecords.Same(e, email)).ToList();
            try
            {
                if (others.Count == 0 && PersonKinds.Contains(actor.Kind))
                {
                    await table.DeleteEntityAsync(actor.PartitionKey, actor.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    actor.Emails = ActorEntity.JoinList(others);
                    actor.UpdatedAt = time.GetUtcNow();
                    actor.UpdatedBy = "effacement RGPD";
                    await table.UpdateEntityAsync(actor, ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
            {
                // Deleted by staff meanwhile.
            }
        }

        return matching.Count;
    }

    public Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PurgeCount>>([]);

    private static bool Lists(ActorEntity actor, string email) =>
        actor.Emails is { } emails && emails.Contains(email, StringComparison.OrdinalIgnoreCase)
        && ActorEntity.SplitList(emails).Any(e => PersonalRecords.Same(e, email));
}
