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
