namespace ResoSolidaire.Functions.Platform.PersonalData;

/// <summary>The person an access or erasure request is about: the parsed address and its keyed hash (EmailHasher).</summary>
public sealed record PersonalDataSubject(EmailAddress Email, string Hash);

/// <summary>How many rows (or blobs) of one kind a retention purge removed.</summary>
public sealed record PurgeCount(string What, int Count);

/// <summary>
/// The personal data one feature keeps, made discoverable: each feature implements this once, in its own
/// folder, and registers it in its module's AddX(). Access, erasure and the retention timer go through every
/// implementation, by <see cref="Order"/> and then in registration order. Each finds a person's records by the keyed hash of the address
/// (<see cref="PersonalDataSubject.Hash"/>, stored beside every address), never by comparing text.
/// </summary>
public interface IPersonalDataStore
{
    /// <summary>The section of the access export ("contact", "porteurs", ...).</summary>
    string Name { get; }

    /// <summary>When this store is visited (<see cref="PersonalDataOrder"/>): a store that finds its rows through another module's records goes before them.</summary>
    int Order => PersonalDataOrder.Records;

    /// <summary>Everything held about the address, with its consent records, as JSON objects.</summary>
    Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken);

    /// <summary>Deletes or anonymises everything held about the address; returns how many records were touched.</summary>
    Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken);

    /// <summary>Deletes what is past its retention duration (RetentionOptions) at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The visiting order of the personal-data stores, lowest first.</summary>
public static class PersonalDataOrder
{
    /// <summary>Stores that find a person's rows through another module's records (the inbox through the contact messages): before those records are erased.</summary>
    public const int Dependents = -100;

    /// <summary>The stores of the records themselves.</summary>
    public const int Records = 0;

    /// <summary>The outbox and the audit log: last, as erasing the others may queue mail or write entries.</summary>
    public const int Trail = 100;
}

/// <summary>Turns stored entities into the records of an access export.</summary>
public static class PersonalRecords
{
    private static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The entity's properties (not its storage version), after a "recordKind" naming what it is.</summary>
    public static JsonObject Of(string kind, object entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var node = JsonSerializer.SerializeToNode(entity, entity.GetType(), Json)?.AsObject() ?? [];
        node.Remove("eTag");
        var record = new JsonObject { ["recordKind"] = kind };
        foreach (var (name, value) in node.ToList())
        {
            node.Remove(name);
            record[name] = value;
        }

        return record;
    }
}
