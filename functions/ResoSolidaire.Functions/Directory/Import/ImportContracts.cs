using ResoSolidaire.Functions.Directory.Vocabularies;

namespace ResoSolidaire.Functions.Directory.Import;

/// <summary>What the import does (or, in a dry run, would do) with one row.</summary>
public static class RowOutcome
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string Rejected = "rejected";

    /// <summary>The outcome is stored as its code; labels agree with the row's actor (« acteur », masculine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Created, Created, "Créé"),
        new(Updated, Updated, "Mis à jour"),
        new(Unchanged, Unchanged, "Inchangé"),
        new(Rejected, Rejected, "Refusé"),
    ]);
}

/// <summary>
/// One row of the import report: its line in the file, its outcome and, when rejected, why (in French);
/// notices say what the import did differently from the sheet (a person left out of the newsletter for want of consent).
/// </summary>
public sealed record ImportRowReport(
    int Line,
    string Outcome,
    string? Name,
    string? ActorId,
    string? Reason,
    IReadOnlyList<string>? Changes,
    IReadOnlyList<string>? Notices = null)
{
    public string OutcomeLabel => RowOutcome.Terms.Label(Outcome);
}

public sealed record ImportSummary(int Rows, int Created, int Updated, int Unchanged, int Rejected);

/// <summary>The report of an import, row by row.</summary>
public sealed record ImportReport(
    bool DryRun,
    bool Written,
    string Encoding,
    string Separator,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> IgnoredColumns,
    ImportSummary Summary,
    IReadOnlyList<ImportRowReport> Rows);

/// <summary>A value of the « Type » or « Secteurs » column that the vocabulary does not know: how many rows hold it, and the first line.</summary>
public sealed record UnknownValue(VocabularyName Vocabulary, string Value, int Rows, int FirstLine);

/// <summary>
/// What to do with each unknown value, by vocabulary and the value's text key: staff's decisions of this import
/// (remembered once it is written) and those remembered from earlier imports.
/// </summary>
public sealed class ValueDecisions
{
    private readonly Dictionary<(VocabularyName, string), (ValueDecision Decision, bool Remember)> _byKey = [];

    public ValueDecisions()
    {
    }

    /// <summary>Decisions remembered from earlier imports (not remembered again).</summary>
    public ValueDecisions(IEnumerable<(VocabularyName Vocabulary, ValueDecision Decision)> remembered)
    {
        ArgumentNullException.ThrowIfNull(remembered);
        foreach (var (name, decision) in remembered)
        {
            _byKey[(name, TextKey.Of(decision.Value))] = (decision, false);
        }
    }

    /// <summary>Staff's decision for a value in this import: it replaces a remembered one and is remembered in turn.</summary>
    public void Decide(VocabularyName name, ValueDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        _byKey[(name, TextKey.Of(decision.Value))] = (decision, true);
    }

    public ValueDecision? Of(VocabularyName name, string value) =>
        _byKey.TryGetValue((name, TextKey.Of(value)), out var found) ? found.Decision : null;

    public IEnumerable<(VocabularyName Vocabulary, ValueDecision Decision)> All => _byKey.Select(p => (p.Key.Item1, p.Value.Decision));

    /// <summary>Gives a « create » decision the code its new term will have.</summary>
    internal void Resolve(VocabularyName name, string value, string code)
    {
        var key = (name, TextKey.Of(value));
        if (_byKey.TryGetValue(key, out var found))
        {
            _byKey[key] = (found.Decision with { TermCode = code }, found.Remember);
        }
    }

    /// <summary>The decisions of this import, by vocabulary, to remember for the next one.</summary>
    internal IReadOnlyDictionary<VocabularyName, IReadOnlyList<ValueDecision>> ToRemember() =>
        _byKey.Where(p => p.Value.Remember)
            .GroupBy(p => p.Key.Item1)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ValueDecision>)g.Select(p => p.Value.Decision).ToList());
}
