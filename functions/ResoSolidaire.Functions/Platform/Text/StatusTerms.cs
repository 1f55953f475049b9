namespace ResoSolidaire.Functions.Platform.Text;

/// <summary>
/// One state as it is stored (the value in Table storage, never migrated), as scripts read it in JSON and in
/// query filters (a stable lower-case code) and as people read it (a French label, agreed with the noun it
/// describes: « Approuvée » for an edition, « Validé » for an event).
/// </summary>
public sealed record StatusTerm(string Stored, string Code, string Label);

/// <summary>
/// The states of one kind of record, declared next to its status constants (as <c>EditionStatus.Terms</c>).
/// Every answer carries the code beside the label: <c>"status": "approved", "statusLabel": "Approuvée"</c>.
/// </summary>
public sealed class StatusTerms
{
    /// <summary>What people read for a stored value that no term declares (an old row, a bug): never the raw value.</summary>
    public const string UnknownLabel = "Inconnu";

    private readonly Dictionary<string, StatusTerm> _byStored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatusTerm> _byCode = new(StringComparer.OrdinalIgnoreCase);

    public StatusTerms(IReadOnlyList<StatusTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        All = terms;
        foreach (var term in terms)
        {
            _byStored.Add(term.Stored, term);
            _byCode.Add(term.Code, term);
        }
    }

    public IReadOnlyList<StatusTerm> All { get; }

    /// <summary>The codes a filter accepts, each with its label, for its French error message: « pending (À modérer), approved (Validé) ».</summary>
    public string Choices => string.Join(", ", All.Select(t => t.Code == t.Label ? t.Code : $"{t.Code} ({t.Label})"));

    public string Code(string? stored) =>
        stored is not null && _byStored.TryGetValue(stored, out var term) ? term.Code : (stored ?? "").ToLowerInvariant();

    public string Label(string? stored) =>
        stored is not null && _byStored.TryGetValue(stored, out var term) ? term.Label : UnknownLabel;

    /// <summary>The stored value of a code given by a caller (any case), or null when the code is not one of these.</summary>
    public string? StoredOf(string? code) =>
        code is not null && _byCode.TryGetValue(code.Trim(), out var term) ? term.Stored : null;

    /// <summary>
    /// Rewrites <paramref name="property"/> of a record shown as raw JSON (a personal-data access answer)
    /// from its stored value to its code, and puts its label beside it.
    /// </summary>
    public JsonObject Relabel(JsonObject record, string property = "status")
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record[property]?.GetValue<string>() is { } stored)
        {
            record[property] = Code(stored);
            record[property + "Label"] = Label(stored);
        }

        return record;
    }
}
