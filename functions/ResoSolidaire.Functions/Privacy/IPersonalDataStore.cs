using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResoSolidaire.Functions.Privacy;

/// <summary>How many rows (or blobs) of one kind a retention purge removed.</summary>
public sealed record PurgeCount(string What, int Count);

/// <summary>
/// The personal data one feature keeps, made discoverable: each feature implements this once, in its own
/// folder, and registers it in PrivacyRegistration. Access, erasure and the retention timer go through every
/// implementation, in registration order. Addresses are given normalised (EmailKey.Normalize).
/// </summary>
public interface IPersonalDataStore
{
    /// <summary>The section of the access export ("contact", "porteurs", ...).</summary>
    string Name { get; }

    /// <summary>Everything held about the address, with its consent records, as JSON objects.</summary>
    Task<IReadOnlyList<JsonObject>> FindAsync(string email, CancellationToken cancellationToken);

    /// <summary>Deletes or anonymises everything held about the address; returns how many records were touched.</summary>
    Task<int> EraseAsync(string email, CancellationToken cancellationToken);

    /// <summary>Deletes what is past its retention duration (RetentionOptions) at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken);
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

    /// <summary>Does this stored address (any case) designate the normalised <paramref name="email"/>?</summary>
    public static bool Same(string? stored, string email) =>
        stored is not null && string.Equals(stored.Trim(), email, StringComparison.OrdinalIgnoreCase);
}
