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
}

/// <summary>The from/to days (Europe/Paris, both inclusive) of an export, as instants: [Start, End).</summary>
public sealed record DateRange(DateOnly? From, DateOnly? To)
{
    public DateTimeOffset? Start => From is { } from ? ExportTime.StartOfDay(from) : null;

    public DateTimeOffset? End => To is { } to ? ExportTime.StartOfDay(to.AddDays(1)) : null;

    public bool Contains(DateTimeOffset instant) => (Start is null || instant >= Start) && (End is null || instant < End);

    public bool Contains(DateOnly day) => (From is null || day >= From) && (To is null || day <= To);
}
