using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The directory's share of personal data: actors listing the address. A person (individu, étudiant) whose
/// only address it is goes; a structure keeps its entry without that address (a structure is not a person,
/// but the address may be someone's own). The directory has no retention limit: staff keep it current.
/// </summary>
public sealed class ActorPersonalData(ActorStore store, EmailHasher emailHasher, TimeProvider time) : IPersonalDataStore, IEmailHashMigration
{
    private static HashSet<string> PersonKinds { get; } = new(StringComparer.Ordinal) { "individu", "etudiant" };

    public string Name => "annuaire";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var found = new List<JsonObject>();
        await foreach (var actor in store.ScanAsync(ActorEntity.EmailHashFilter(subject.Hash), cancellationToken).ConfigureAwait(false))
        {
            found.Add(PersonalRecords.Of("acteur", ActorMapping.ToDto(actor)));
        }

        return found;
    }

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var matching = new List<ActorEntity>();
        await foreach (var actor in store.ScanAsync(ActorEntity.EmailHashFilter(subject.Hash), cancellationToken).ConfigureAwait(false))
        {
            matching.Add(actor);
        }

        var table = await store.TableAsync(cancellationToken).ConfigureAwait(false);
        foreach (var actor in matching)
        {
            // The hashes found the actor; the parsed addresses say which of its addresses is the person's.
            var others = ActorEntity.SplitList(actor.Emails).Where(e => !(EmailAddress.TryParse(e, out var address) && address == subject.Email)).ToList();
            try
            {
                if (others.Count == 0 && PersonKinds.Contains(actor.Kind))
                {
                    await table.DeleteEntityAsync(actor.PartitionKey, actor.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    actor.Emails = ActorEntity.JoinList(others);
                    actor.HashEmails(emailHasher);
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

    /// <summary>Actors written before the hashes existed: addresses but no EmailHash0.</summary>
    public async Task<int> HashMissingAsync(CancellationToken cancellationToken)
    {
        var legacy = new List<ActorEntity>();
        await foreach (var actor in store.ScanAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (actor.EmailHash0 is null && !string.IsNullOrEmpty(actor.Emails))
            {
                legacy.Add(actor);
            }
        }

        var table = await store.TableAsync(cancellationToken).ConfigureAwait(false);
        var migrated = 0;
        foreach (var actor in legacy)
        {
            actor.HashEmails(emailHasher);
            if (actor.EmailHash0 is not null)
            {
                migrated += await EmailHashMigrations.UpdateAsync(table, actor, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
        }

        return migrated;
    }
}
