using ResoSolidaire.Functions.Platform.Audit;

namespace ResoSolidaire.Functions.Exports;

/// <summary>Streams a dataset in a format, page by page from storage to the output, and audits it.</summary>
public sealed class ExportService(IEnumerable<IExportDataset> datasets, AuditLog audit, TimeProvider time, ILogger<ExportService> logger)
{
    private readonly Dictionary<string, IExportDataset> _datasets = datasets.ToDictionary(d => d.Slug, StringComparer.OrdinalIgnoreCase);

    private readonly IReadOnlyList<IExportDataset> _ordered = [.. datasets];

    /// <summary>Every dataset, in the order the modules registered them.</summary>
    public IReadOnlyList<IExportDataset> Datasets => _ordered;

    public IReadOnlyCollection<string> Slugs => _datasets.Keys;

    public IExportDataset? Find(string slug) => _datasets.GetValueOrDefault(slug);

    /// <summary>
    /// Reads an export request (format, date range and the dataset's own filters) and plans it: null when there is no
    /// such dataset, or the export planned or refused.
    /// </summary>
    public async Task<ExportRequest?> PrepareAsync(string slug, IQueryCollection query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (Find(slug) is not { } dataset)
        {
            return null;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var format = ExportFormats.Parse(query["format"]);
        if (format is null)
        {
            errors["format"] = [$"Format inconnu (valeurs possibles : {ExportFormats.Names})."];
        }

        var range = new DateRange(Day(query, "from", errors), Day(query, "to", errors));
        if (range.From is { } from && range.To is { } to && from > to)
        {
            errors["to"] = ["La date de fin précède la date de début."];
        }

        var plan = await dataset.PlanAsync(query, range, errors, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return new ExportRequest(null, errors);
        }

        // Every parameter but the key (code) is a filter, recorded as given.
        var filters = query
            .Where(q => !string.Equals(q.Key, "code", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return new ExportRequest(new PlannedExport(dataset, plan, format!.Value, filters), null);
    }

    /// <summary>How many rows the export would hold: its pages read and counted, nothing written (the exports page's count).</summary>
    public static async Task<int> CountAsync(ExportPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var rows = 0;
        await foreach (var page in plan.Pages(cancellationToken).ConfigureAwait(false))
        {
            rows += page.Count;
        }

        return rows;
    }

    /// <summary>Writes the whole export to <paramref name="output"/>; returns the number of data rows.</summary>
    public static Task<int> WriteAsync(IExportDataset dataset, ExportPlan plan, ExportFormat format, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return WriteAsync(dataset.Columns, plan, format, output, cancellationToken);
    }

    /// <summary>Writes rows under the given columns in a format (a module's own table, such as an import's report); returns the number of data rows.</summary>
    public static async Task<int> WriteAsync(IReadOnlyList<ExportColumn> columns, ExportPlan plan, ExportFormat format, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(plan);
        var rows = 0;
        var writer = ExportWriter.Create(format, output);
        await using (writer.ConfigureAwait(false))
        {
            await writer.BeginAsync(columns, cancellationToken).ConfigureAwait(false);
            await foreach (var page in plan.Pages(cancellationToken).ConfigureAwait(false))
            {
                foreach (var row in page)
                {
                    writer.WriteRow(row);
                }

                rows += page.Count;
                await writer.EndPageAsync(cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return rows;
    }

    /// <summary>Writes the export, then its audit entry (also when it stopped midway, marked incomplete).</summary>
    public async Task<int> ExportAsync(IExportDataset dataset, ExportPlan plan, ExportFormat format, IReadOnlyDictionary<string, string> filters, Stream output, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(by);
        var rows = 0;
        var completed = false;
        try
        {
            rows = await WriteAsync(dataset, plan, format, output, cancellationToken).ConfigureAwait(false);
            completed = true;
            return rows;
        }
        finally
        {
            await audit.WriteAsync(new AuditRecord(by.Name, AuditActions.Export, dataset.Slug, ExportFormats.Name(format), filters, rows, Completed: completed) { PrincipalObjectId = by.ObjectId }, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Export {Dataset} as {Format}: {Rows} row(s), completed {Completed}", dataset.Slug, format, rows, completed);
        }
    }

    /// <summary>The file name: dataset and Paris date, e.g. abonnés_2026-03-15.csv.</summary>
    public string FileName(IExportDataset dataset, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var today = LocalDates.Today(time).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"{dataset.FileStem}_{today}.{ExportFormats.Extension(format)}";
    }

    /// <summary>RFC 6266: an ASCII filename for old clients and the UTF-8 filename* (RFC 8187) for the others.</summary>
    public static string ContentDisposition(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var ascii = new StringBuilder();
        foreach (var c in fileName.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            ascii.Append(c is >= ' ' and < (char)127 and not '"' and not '\\' ? c : '_');
        }

        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(fileName))
        {
            var c = (char)b;
            encoded.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' ? c.ToString() : $"%{b:X2}");
        }

        return $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}";
    }

    private static DateOnly? Day(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var text = query[name].ToString().Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var day = LocalDates.Parse(text);
        if (day is null)
        {
            errors[name] = ["La date s'écrit AAAA-MM-JJ (par exemple 2026-03-15)."];
        }

        return day;
    }
}

/// <summary>An export as asked for: planned, or refused with the field errors in French.</summary>
public sealed record ExportRequest(PlannedExport? Planned, IDictionary<string, string[]>? Errors);

/// <summary>An export ready to stream, with the parameters its audit entry records.</summary>
public sealed record PlannedExport(IExportDataset Dataset, ExportPlan Plan, ExportFormat Format, IReadOnlyDictionary<string, string> Filters);
