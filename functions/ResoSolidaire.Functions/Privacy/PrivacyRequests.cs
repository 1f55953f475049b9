namespace ResoSolidaire.Functions.Privacy;

/// <summary>The kinds of request a person makes about their data, and the states of a request.</summary>
public static class PrivacyRequestKinds
{
    /// <summary>RGPD article 15: what is held.</summary>
    public const string Access = "acces";

    /// <summary>RGPD article 17: erase it.</summary>
    public const string Erasure = "effacement";

    public static StatusTerms Terms { get; } = new(
    [
        new(Access, Access, "Droit d'accès (article 15 du RGPD)"),
        new(Erasure, Erasure, "Droit à l'effacement (article 17 du RGPD)"),
    ]);

    public const string Open = "en-cours";

    /// <summary>An access request whose document was produced.</summary>
    public const string Answered = "repondue";

    /// <summary>An erasure request carried out.</summary>
    public const string Erased = "effacee";

    /// <summary>Labels agree with « demande » (feminine).</summary>
    public static StatusTerms States { get; } = new(
    [
        new(Open, Open, "En cours"),
        new(Answered, Answered, "Répondue"),
        new(Erased, Erased, "Effacement fait"),
    ]);
}

/// <summary>
/// One request of a person about their data, as the history keeps it: its reference, kind, the day it was received
/// (the one-month answer deadline runs from it, RGPD article 12.3), who recorded and who answered it, and the keyed
/// hash of the address (<see cref="EmailHasher"/>) that finds the requests of an address again. Never the address:
/// once an erasure is done, nothing here names the person.
/// </summary>
public sealed class PrivacyRequestEntity : ITableEntity
{
    public const string Partition = "demande";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = PrivacyRequestKinds.Access;

    /// <summary>yyyy-MM-dd, Europe/Paris: the day the association received the request.</summary>
    public string ReceivedOn { get; set; } = "";

    public string SubjectHash { get; set; } = "";

    public string Status { get; set; } = PrivacyRequestKinds.Open;

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = "";

    public string RecordedByObjectId { get; set; } = "";

    public DateTimeOffset? AnsweredAt { get; set; }

    public string? AnsweredBy { get; set; }

    public string? AnsweredByObjectId { get; set; }

    /// <summary>For an erasure: how many records each feature deleted or anonymised, as JSON (counts only).</summary>
    public string? ErasedCounts { get; set; }
}

/// <summary>A request as the console shows it.</summary>
public sealed record RightsRequest(
    string Reference,
    string Kind,
    DateOnly ReceivedOn,
    DateOnly Deadline,
    string Status,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    DateTimeOffset? AnsweredAt,
    string? AnsweredBy,
    IReadOnlyDictionary<string, int> ErasedCounts)
{
    public string KindLabel => PrivacyRequestKinds.Terms.Label(Kind);

    public string StatusLabel => PrivacyRequestKinds.States.Label(Status);

    public bool IsOpen => Status == PrivacyRequestKinds.Open;

    /// <summary>RGPD article 12.3: an answer within one month of receipt (extendable by two months, telling the person why).</summary>
    public static DateOnly DeadlineOf(DateOnly receivedOn) => receivedOn.AddMonths(1);

    public static RightsRequest From(PrivacyRequestEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var received = LocalDates.Parse(entity.ReceivedOn) ?? LocalDates.DayOf(entity.RecordedAt);
        var counts = entity.ErasedCounts is null ? [] : JsonSerializer.Deserialize<Dictionary<string, int>>(entity.ErasedCounts) ?? [];
        return new RightsRequest(entity.RowKey, entity.Kind, received, DeadlineOf(received), entity.Status, entity.RecordedAt, entity.RecordedBy, entity.AnsweredAt, entity.AnsweredBy, counts);
    }
}

/// <summary>The history of access and erasure requests (table PrivacyRequests), owned by Privacy.</summary>
public sealed class PrivacyRequests(StorageProvisioning storage, ReferenceCounter references, TimeProvider time)
{
    public const string TableName = "PrivacyRequests";

    public const string ReferencePrefix = "DP";

    public async Task<RightsRequest> RecordAsync(string kind, DateOnly receivedOn, string subjectHash, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new PrivacyRequestEntity
        {
            RowKey = await references.NextAsync(ReferencePrefix, cancellationToken).ConfigureAwait(false),
            Kind = kind,
            ReceivedOn = LocalDates.ToText(receivedOn),
            SubjectHash = subjectHash,
            RecordedAt = time.GetUtcNow(),
            RecordedBy = by.Name,
            RecordedByObjectId = by.ObjectId,
        };
        await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        return RightsRequest.From(entity);
    }

    public async Task<PrivacyRequestEntity?> FindAsync(string reference, CancellationToken cancellationToken)
    {
        if (!reference.StartsWith(ReferencePrefix + "-", StringComparison.Ordinal) || reference.Length > 20)
        {
            return null;
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<PrivacyRequestEntity>(PrivacyRequestEntity.Partition, KeySafe.Encode(reference), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Every request, received latest first (a few dozen a year).</summary>
    public async Task<IReadOnlyList<RightsRequest>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<RightsRequest>();
        await foreach (var row in TablePages.RowsAsync<PrivacyRequestEntity>(table, TableClient.CreateQueryFilter($"PartitionKey eq {PrivacyRequestEntity.Partition}"), null, cancellationToken).ConfigureAwait(false))
        {
            list.Add(RightsRequest.From(row));
        }

        return [.. list.OrderByDescending(r => r.ReceivedOn).ThenByDescending(r => r.RecordedAt)];
    }

    /// <summary>The requests made about an address, found by its keyed hash.</summary>
    public async Task<IReadOnlyList<PrivacyRequestEntity>> AboutAsync(string subjectHash, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PrivacyRequestEntity.Partition} and SubjectHash eq {subjectHash}");
        var list = new List<PrivacyRequestEntity>();
        await foreach (var row in TablePages.RowsAsync<PrivacyRequestEntity>(table, filter, null, cancellationToken).ConfigureAwait(false))
        {
            list.Add(row);
        }

        return list;
    }

    /// <summary>
    /// Marks a request answered (an access request's document produced) or erased, by whom and when, under the ETag
    /// it was read with: of two staff answering at once, one write wins and the other is told (false).
    /// </summary>
    public async Task<bool> CloseAsync(PrivacyRequestEntity request, string status, IReadOnlyDictionary<string, int>? erased, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var change = new TableEntity(request.PartitionKey, request.RowKey)
        {
            [nameof(PrivacyRequestEntity.Status)] = status,
            [nameof(PrivacyRequestEntity.AnsweredAt)] = time.GetUtcNow(),
            [nameof(PrivacyRequestEntity.AnsweredBy)] = by.Name,
            [nameof(PrivacyRequestEntity.AnsweredByObjectId)] = by.ObjectId,
        };
        if (erased is not null)
        {
            change[nameof(PrivacyRequestEntity.ErasedCounts)] = JsonSerializer.Serialize(erased);
        }

        try
        {
            await table.UpdateEntityAsync(change, request.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Deletes the requests recorded before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PrivacyRequestEntity.Partition} and RecordedAt lt {before}");
        return await TableBatches.DeleteAsync(table, table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);
}

/// <summary>
/// The request history's share of personal data: the requests about an address (found by its keyed hash) are shown
/// to the person, kept on erasure (they prove the request was answered in time, and hold no address), and deleted
/// after <see cref="RetentionOptions.PrivacyRequests"/>.
/// </summary>
public sealed class PrivacyRequestsPersonalData(PrivacyRequests requests, IOptions<RetentionOptions> retention) : IPersonalDataStore
{
    public const string Why = "L'historique prouve que la demande a reçu une réponse dans le délai d'un mois (RGPD, articles 5.2 et 12.3). Il ne garde que la référence, les dates, qui a répondu et l'empreinte chiffrée de l'adresse, jamais l'adresse ; il est effacé au bout de sa durée de conservation.";

    public string Name => "demandes";

    public int Order => PersonalDataOrder.Trail;

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var found = await requests.AboutAsync(subject.Hash, cancellationToken).ConfigureAwait(false);
        return [.. found.Select(r => PersonalRecords.Of("demande", new { Reference = r.RowKey, r.Kind, r.ReceivedOn, r.Status, r.RecordedAt, r.RecordedBy, r.AnsweredAt, r.AnsweredBy }))];
    }

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var found = await requests.AboutAsync(subject.Hash, cancellationToken).ConfigureAwait(false);
        return new PersonalDataSection(
            "Demandes sur les données personnelles",
            "Suivre les demandes d'accès et d'effacement et prouver qu'elles ont reçu une réponse dans le délai.",
            [.. found.Select(RightsRequest.From).OrderBy(r => r.ReceivedOn).Select(r => new PersonalRecord(
                $"Demande {r.Reference}",
                PersonalRecords.Fields(
                    ("Nature", r.KindLabel),
                    ("Reçue le", PersonalRecords.Date(r.ReceivedOn)),
                    ("Réponse attendue au plus tard le", PersonalRecords.Date(r.Deadline)),
                    ("État", r.StatusLabel),
                    ("Enregistrée par", r.RecordedBy),
                    ("Répondue le", r.AnsweredAt is { } at ? PersonalRecords.DateTime(at) : null),
                    ("Par", r.AnsweredBy)),
                ErasureEffect.Kept,
                Why))],
            ["La demande reste dans l'historique des demandes (référence, dates, qui a répondu, empreinte chiffrée de l'adresse), pour montrer qu'elle a été traitée dans le délai."]);
    }

    /// <summary>Nothing to erase: a request holds no address, and proves the erasure itself.</summary>
    public Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken) => Task.FromResult(0);

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [new PurgeCount("demandes", await requests.PurgeAsync(now - retention.Value.PrivacyRequests, cancellationToken).ConfigureAwait(false))];
}
