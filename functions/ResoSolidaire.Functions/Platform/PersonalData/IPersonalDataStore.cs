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

    /// <summary>
    /// What is held about the address as a person reads it (the console's answer to an access request and the
    /// preview of an erasure): the feature's French title and purpose, each record with French labels and values,
    /// what erasure does to it and, for what stays, why. A store that does not implement it is shown through
    /// <see cref="FindAsync"/> with its raw property names (<see cref="PersonalRecords.Describe"/>).
    /// </summary>
    async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken) =>
        PersonalRecords.Describe(Name, await FindAsync(subject, cancellationToken).ConfigureAwait(false));
}

/// <summary>What erasure does to a record.</summary>
public enum ErasureEffect
{
    /// <summary>Deleted.</summary>
    Deleted,

    /// <summary>Kept without what names the person (the address, the name).</summary>
    Anonymised,

    /// <summary>Kept as it is, for the reason given (it holds no address, or the law asks for it).</summary>
    Kept,
}

/// <summary>One field of a record as a person reads it: a French label and its value, already formatted.</summary>
public sealed record PersonalField(string Label, string? Value);

/// <summary>A record held about a person, readable: « Message du 2 mars 2026 » and its fields, and what erasure does to it.</summary>
public sealed record PersonalRecord(string Title, IReadOnlyList<PersonalField> Fields, ErasureEffect OnErasure = ErasureEffect.Deleted, string? Why = null);

/// <summary>
/// A feature's share of what is held about a person. <paramref name="KeptAfterErasure"/> names what stays (or is
/// written) after an erasure that is not one of the records, and why (the opt-out list keeps the address's keyed hash).
/// </summary>
public sealed record PersonalDataSection(string Title, string Purpose, IReadOnlyList<PersonalRecord> Records, IReadOnlyList<string> KeptAfterErasure)
{
    public PersonalDataSection(string title, string purpose, IReadOnlyList<PersonalRecord> records)
        : this(title, purpose, records, [])
    {
    }
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

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>
    /// The fallback readable form of a store that gives only <see cref="IPersonalDataStore.FindAsync"/>: each record
    /// under its kind, its properties as they are named, without storage keys or hashes; erasure deletes it.
    /// </summary>
    public static PersonalDataSection Describe(string name, IReadOnlyList<JsonObject> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var records = found.Select(record => new PersonalRecord(
            record["recordKind"]?.ToString() ?? name,
            [.. record
                .Where(p => p.Key is not ("recordKind" or "partitionKey" or "rowKey" or "timestamp") && !p.Key.Contains("hash", StringComparison.OrdinalIgnoreCase))
                .Select(p => new PersonalField(p.Key, p.Value switch
                {
                    null => null,
                    JsonValue value when value.TryGetValue<DateTimeOffset>(out var instant) => DateTime(instant),
                    JsonValue value when value.TryGetValue<bool>(out var flag) => YesNo(flag),
                    var other => other.ToString(),
                }))])).ToList();
        return new PersonalDataSection(name, "", records);
    }

    /// <summary>« 2 mars 2026 à 14 h 05 », in Rennes' time.</summary>
    public static string DateTime(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Paris);
        return $"{local.ToString("d MMMM yyyy", French)} à {local.Hour.ToString(French)} h {local.Minute.ToString("00", French)}";
    }

    /// <summary>« 2 mars 2026 ».</summary>
    public static string Date(DateOnly day) => day.ToString("d MMMM yyyy", French);

    /// <summary>« 2 mars 2026 » for a day stored as yyyy-MM-dd; the text as it is otherwise.</summary>
    public static string? Date(string? day) =>
        DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? Date(parsed) : day;

    public static string YesNo(bool value) => value ? "Oui" : "Non";

    /// <summary>The fields that have a value, in order (an empty optional field is left out).</summary>
    public static IReadOnlyList<PersonalField> Fields(params (string Label, string? Value)[] fields) =>
        [.. fields.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => new PersonalField(f.Label, f.Value))];

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
