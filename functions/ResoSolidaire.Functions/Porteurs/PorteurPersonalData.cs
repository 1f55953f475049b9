using ResoSolidaire.Functions.Porteurs.FollowUp;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>
/// The porteurs' share of personal data: the intake (with its consent record), its attachments, its duplicate
/// markers, and the whole case (state and timeline, whose notes may speak of the person). Retention counts
/// from the last contact: the latest of the intake, the last change of the case and its last timeline entry
/// (closing a case is a change, so a closed case counts from its closing).
/// </summary>
public sealed class PorteurPersonalData(TableServiceClient tables, StorageNames names, AttachmentStore attachments, EmailHasher emailHasher, IOptions<RetentionOptions> retention) : IPersonalDataStore, IEmailHashMigration
{
    public string Name => "porteurs";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var found = new List<JsonObject>();
        foreach (var intake in await IntakesOfAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            found.Add(PersonalRecords.Of("demande", intake));
            await foreach (var row in CaseRowsAsync(intake.Reference, cancellationToken).ConfigureAwait(false))
            {
                found.Add(PersonalRecords.Of(row.RowKey == CaseStateEntity.StateRow ? "suivi" : "historique", CaseRecord(row)));
            }
        }

        return found;
    }

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var records = new List<PersonalRecord>();
        foreach (var intake in (await IntakesOfAsync(subject, cancellationToken).ConfigureAwait(false)).OrderBy(i => i.CreatedAt))
        {
            records.Add(new PersonalRecord(
                $"Demande d'accompagnement {intake.Reference} du {PersonalRecords.DateTime(intake.CreatedAt)}",
                PersonalRecords.Fields(
                    ("Prénom et nom", $"{intake.FirstName} {intake.LastName}"),
                    ("Adresse e-mail", intake.Email),
                    ("Téléphone", FieldRules.PhoneForPeople(intake.Phone)),
                    ("Commune", $"{intake.CommuneName} {intake.PostalCode}".Trim()),
                    ("Projet", intake.ProjectTitle),
                    ("Description", intake.ProjectDescription),
                    ("Secteur", intake.SectorText()),
                    ("Stade", PorteurForm.Stages.GetValueOrDefault(intake.Stage, intake.Stage)),
                    ("Statut envisagé", PorteurForm.LegalStatuses.GetValueOrDefault(intake.LegalStatus, intake.LegalStatus)),
                    ("Besoins", string.Join(", ", intake.Needs.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => PorteurForm.Needs.GetValueOrDefault(n, n)))),
                    ("Nous a connus par", intake.HeardFrom),
                    ("Pièces jointes", string.Join(", ", intake.AttachmentRecords().Select(a => a.Name))),
                    ("Consentement", $"donné le {PersonalRecords.DateTime(intake.ConsentAt)} (texte version {intake.ConsentTextVersion})"))));
            await foreach (var row in CaseRowsAsync(intake.Reference, cancellationToken).ConfigureAwait(false))
            {
                if (row.RowKey == CaseStateEntity.StateRow)
                {
                    records.Add(new PersonalRecord(
                        $"Suivi du dossier {intake.Reference}",
                        PersonalRecords.Fields(
                            ("Phase", CasePhases.Label(row.GetString("Phase") ?? CasePhases.Accueil)),
                            ("Suivi par", row.GetString("Assignee")),
                            ("Prochaine action", row.GetString("NextActionLabel") is { } next ? $"{next} ({PersonalRecords.Date(row.GetString("NextActionDate"))})" : null))));
                }
                else if (row.GetDateTimeOffset("At") is { } at)
                {
                    records.Add(new PersonalRecord(
                        $"Historique du dossier {intake.Reference} : {row.GetString("Summary")}",
                        PersonalRecords.Fields(("Le", PersonalRecords.DateTime(at)), ("Par", row.GetString("By")), ("Texte", row.GetString("Text")))));
                }
            }
        }

        return new PersonalDataSection("Porteurs de projet", "Accompagner le projet présenté par le formulaire du site (gardé 3 ans après le dernier contact).", records);
    }

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var intakes = await IntakesOfAsync(subject, cancellationToken).ConfigureAwait(false);
        foreach (var intake in intakes)
        {
            await EraseCaseAsync(intake.Reference, cancellationToken).ConfigureAwait(false);
        }

        return intakes.Count;
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - retention.Value.Porteurs;
        var lastActivity = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        try
        {
            var rows = Cases().QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "UpdatedAt", "At"], cancellationToken: cancellationToken);
            await foreach (var row in rows.ConfigureAwait(false))
            {
                var at = row.GetDateTimeOffset("UpdatedAt") ?? row.GetDateTimeOffset("At");
                if (at is { } when && (!lastActivity.TryGetValue(row.PartitionKey, out var last) || when > last))
                {
                    lastActivity[row.PartitionKey] = when;
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // No case followed up yet.
        }

        var purged = 0;
        foreach (var intake in await AllIntakesAsync(cancellationToken).ConfigureAwait(false))
        {
            var last = lastActivity.TryGetValue(intake.Reference, out var activity) && activity > intake.CreatedAt ? activity : intake.CreatedAt;
            if (last < before)
            {
                await EraseCaseAsync(intake.Reference, cancellationToken).ConfigureAwait(false);
                purged++;
            }
        }

        return [new PurgeCount("dossiers", purged)];
    }

    private async Task EraseCaseAsync(string reference, CancellationToken cancellationToken)
    {
        // Attachments first: were the intake deleted first and this stopped, nothing would lead to them.
        var container = await attachments.ContainerAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, reference + "/", cancellationToken).ConfigureAwait(false))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var caseRows = new List<ITableEntity>();
        await foreach (var row in CaseRowsAsync(reference, cancellationToken).ConfigureAwait(false))
        {
            caseRows.Add(row);
        }

        await TableBatches.DeleteAsync(Cases(), caseRows, cancellationToken).ConfigureAwait(false);

        var intakeRows = new List<ITableEntity>();
        var markers = Intakes().QueryAsync<DuplicateMarkerEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {DuplicateMarkerEntity.RowPrefix} and RowKey lt {"dedup."} and Reference eq {reference}"),
            cancellationToken: cancellationToken);
        await foreach (var marker in markers.ConfigureAwait(false))
        {
            intakeRows.Add(marker);
        }

        intakeRows.Add(new TableEntity(SubmissionLedger.Partition, KeySafe.Encode(reference)));
        await TableBatches.DeleteAsync(Intakes(), intakeRows, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, object?> CaseRecord(TableEntity row)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in row)
        {
            if (key is not ("odata.etag" or "PartitionKey" or "RowKey"))
            {
                copy[key] = value;
            }
        }

        return copy;
    }

    private async IAsyncEnumerable<TableEntity> CaseRowsAsync(string reference, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = Cases().QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {reference}"), cancellationToken: cancellationToken);
        var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
                {
                    more = false;
                }

                if (!more)
                {
                    yield break;
                }

                yield return enumerator.Current;
            }
        }
    }

    private TableClient Intakes() => tables.GetTableClient(names.Table(PorteurForm.TableName));

    private TableClient Cases() => tables.GetTableClient(names.Table(CaseStore.TableName));

    private async Task<List<PorteurEntity>> IntakesOfAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var filter = IntakesFilter() + " and " + TableClient.CreateQueryFilter($"EmailHash eq {subject.Hash}");
        return await EmailHashMigrations.RowsAsync(Intakes().QueryAsync<PorteurEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Intakes stored before the hash existed.</summary>
    public Task<int> HashMissingAsync(CancellationToken cancellationToken) =>
        EmailHashMigrations.HashColumnAsync(Intakes(), IntakesFilter(), nameof(PorteurEntity.Email), nameof(PorteurEntity.EmailHash), emailHasher, cancellationToken);

    private static string IntakesFilter() =>
        TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {PorteurForm.ReferencePrefix + "-"} and RowKey lt {PorteurForm.ReferencePrefix + "."}");

    private async Task<List<PorteurEntity>> AllIntakesAsync(CancellationToken cancellationToken)
    {
        var found = new List<PorteurEntity>();
        var prefix = PorteurForm.ReferencePrefix + "-";
        var end = PorteurForm.ReferencePrefix + ".";
        try
        {
            var query = Intakes().QueryAsync<PorteurEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {prefix} and RowKey lt {end}"),
                cancellationToken: cancellationToken);
            await foreach (var intake in query.ConfigureAwait(false))
            {
                found.Add(intake);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // The table is created with the first intake.
        }

        return found;
    }
}
