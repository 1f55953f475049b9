using ResoSolidaire.Functions.Directory.Vocabularies;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The directory's share of personal data: actors listing the address. A person (individu, étudiant) whose
/// only address it is goes; a structure keeps its entry without that address (a structure is not a person,
/// but the address may be someone's own). The retention pass looks at persons only: it opts out those
/// without a recorded consent (the migration of rows written before consents were recorded, idempotent) and
/// flags for staff review those without contact for <see cref="RetentionOptions.DirectoryPersonsReview"/>.
/// </summary>
public sealed class ActorPersonalData(ActorStore store, VocabularyStore vocabularies, EmailHasher emailHasher, TimeProvider time, IOptions<RetentionOptions> retention) : IPersonalDataStore, IEmailHashMigration
{
    private static HashSet<string> PersonKinds { get; } = new(StringComparer.Ordinal) { "individu", "etudiant" };

    public string Name => "annuaire";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var found = new List<JsonObject>();
        var vocabulary = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var actor in store.ScanAsync(ActorEntity.EmailHashFilter(subject.Hash), cancellationToken).ConfigureAwait(false))
        {
            found.Add(PersonalRecords.Of("acteur", ActorMapping.ToDto(actor, vocabulary)));
        }

        return found;
    }

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var records = new List<PersonalRecord>();
        var vocabulary = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var actor in store.ScanAsync(ActorEntity.EmailHashFilter(subject.Hash), cancellationToken).ConfigureAwait(false))
        {
            var dto = ActorMapping.ToDto(actor, vocabulary);
            var others = ActorEntity.SplitList(actor.Emails).Count(e => !(EmailAddress.TryParse(e, out var address) && address == subject.Email));
            var deleted = others == 0 && PersonKinds.Contains(actor.Kind);
            records.Add(new PersonalRecord(
                $"Fiche de l'annuaire : {dto.Name}",
                PersonalRecords.Fields(
                    ("Type", dto.KindLabel),
                    ("Adresses e-mail", string.Join(", ", dto.Emails)),
                    ("Téléphones", string.Join(", ", dto.Phones)),
                    ("Adresse", string.Join(" ", new[] { dto.Address, dto.PostalCode, dto.Commune }.Where(p => !string.IsNullOrEmpty(p)))),
                    ("Site", dto.Website),
                    ("Reçoit la lettre d'information", PersonalRecords.YesNo(dto.Newsletter)),
                    ("Consentement", dto.Consent is { } consent ? $"le {PersonalRecords.Date(consent.Date)}, {consent.Source} (texte version {consent.TextVersion})" : null),
                    ("Notes de l'équipe", dto.Notes),
                    ("Ajoutée le", PersonalRecords.DateTime(dto.CreatedAt)),
                    ("Modifiée le", PersonalRecords.DateTime(dto.UpdatedAt))),
                deleted ? ErasureEffect.Deleted : ErasureEffect.Anonymised,
                deleted ? null : "La fiche est celle d'une structure (ou d'une personne qui a d'autres adresses) : elle reste dans l'annuaire, sans cette adresse."));
        }

        return new PersonalDataSection("Annuaire des acteurs", "Tenir l'annuaire des acteurs de l'économie sociale et solidaire du Pays de Rennes.", records);
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

    /// <summary>
    /// Persons are flagged, not deleted: the directory is curated by hand and "contact" (a meeting, a call) is
    /// mostly not recorded in it, so staff decide (save the entry to keep it, delete it otherwise). The last
    /// contact is the later of the entry's last change by staff and the day of the recorded consent.
    /// </summary>
    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reviewBefore = now - retention.Value.DirectoryPersonsReview;
        var persons = string.Join(" or ", ActorKinds.Persons.Order(StringComparer.Ordinal).Select(kind => TableClient.CreateQueryFilter($"Kind eq {kind}")));
        var changes = new List<(ActorEntity Actor, TableEntity Change)>();
        await foreach (var actor in store.ScanAsync(persons, cancellationToken).ConfigureAwait(false))
        {
            var optOut = actor.Newsletter && ActorMapping.ConsentOf(actor) is null;
            var review = actor.ReviewSince is null && LastContact(actor) < reviewBefore;
            if (optOut || review)
            {
                var change = new TableEntity(actor.PartitionKey, actor.RowKey);
                if (optOut)
                {
                    change[nameof(ActorEntity.Newsletter)] = false;
                }

                if (review)
                {
                    change[nameof(ActorEntity.ReviewSince)] = now;
                }

                changes.Add((actor, change));
            }
        }

        var table = await store.TableAsync(cancellationToken).ConfigureAwait(false);
        int optedOut = 0, flagged = 0;
        foreach (var (actor, change) in changes)
        {
            try
            {
                // A merge of the changed properties only, under the row's version: a staff edit meanwhile wins,
                // and the next pass looks again. The entry's "updated" stamp stays staff's.
                await table.UpdateEntityAsync(change, actor.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                optedOut += change.ContainsKey(nameof(ActorEntity.Newsletter)) ? 1 : 0;
                flagged += change.ContainsKey(nameof(ActorEntity.ReviewSince)) ? 1 : 0;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                // Changed or deleted by staff meanwhile.
            }
        }

        return [new PurgeCount("personnes sans consentement retirées de la newsletter", optedOut), new PurgeCount("personnes sans contact signalées pour revue", flagged)];
    }

    private static DateTimeOffset LastContact(ActorEntity actor) =>
        DateOnly.TryParseExact(actor.ConsentDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var consented)
            && new DateTimeOffset(consented.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) is var consentAt && consentAt > actor.UpdatedAt
            ? consentAt
            : actor.UpdatedAt;

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
