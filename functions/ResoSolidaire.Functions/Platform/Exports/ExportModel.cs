namespace ResoSolidaire.Functions.Platform.Exports;

/// <summary>A column of an export: its key (JSON) and its French header (CSV, XLSX).</summary>
public sealed record ExportColumn(string Key, string Header);

/// <summary>
/// What an export will read: the pages of rows, read from storage one page at a time. A cell is a string, a DateTimeOffset, a DateOnly, a bool, an
/// int or null; each writer formats it in its own way.
/// </summary>
public sealed record ExportPlan(Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<object?[]>>> Pages);

/// <summary>One exportable dataset. Implementations live in Exports/Datasets and read their feature's storage.</summary>
public interface IExportDataset
{
    /// <summary>The route segment: staff/exports/{Slug}.</summary>
    string Slug { get; }

    /// <summary>The French stem of the file name (accents allowed: it goes in filename*).</summary>
    string FileStem { get; }

    IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>Reads the filters of the query string (the same as the dataset's list endpoint); errors are named in French by parameter.</summary>
    Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken);

    /// <summary>What the console's exports page calls the dataset (« Messages de contact »).</summary>
    string Title => FileStem;

    /// <summary>
    /// What the <c>from</c>/<c>to</c> days apply to, as the exports page labels them (« Reçus »); null when the
    /// dataset takes no date range.
    /// </summary>
    string? DateRangeLabel => "Date";

    /// <summary>
    /// The filters the exports page offers, with the names <see cref="PlanAsync"/> reads (those of the dataset's
    /// list) and, for a closed list, its French choices. A dataset without them is exported whole (dates aside).
    /// </summary>
    Task<IReadOnlyList<ExportFilter>> FiltersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ExportFilter>>([]);
}

/// <summary>One choice of a filter: the value sent, the French label shown.</summary>
public sealed record ExportChoice(string Value, string Label);

/// <summary>
/// A filter of an export, as the exports page shows it: a list of <paramref name="Choices"/> (a select, « Tous »
/// first unless <paramref name="Required"/>), or a text field when there are none.
/// </summary>
public sealed record ExportFilter(string Name, string Label, IReadOnlyList<ExportChoice>? Choices = null, string? Hint = null, bool Required = false);

/// <summary>The from/to days (Europe/Paris, both inclusive) of an export, as instants: [Start, End).</summary>
public sealed record DateRange(DateOnly? From, DateOnly? To)
{
    public DateTimeOffset? Start => From is { } from ? ExportTime.StartOfDay(from) : null;

    public DateTimeOffset? End => To is { } to ? ExportTime.StartOfDay(to.AddDays(1)) : null;

    public bool Contains(DateTimeOffset instant) => (Start is null || instant >= Start) && (End is null || instant < End);

    public bool Contains(DateOnly day) => (From is null || day >= From) && (To is null || day <= To);
}
