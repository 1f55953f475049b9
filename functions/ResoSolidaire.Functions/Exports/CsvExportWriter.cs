using CsvHelper;

namespace ResoSolidaire.Functions.Exports;

/// <summary>
/// CSV through CsvHelper. For French Excel: the UTF-8 byte order mark (without it Excel reads the file as
/// Windows-1252 and breaks every accent), semicolons (the list separator of the French locale, where the
/// comma is the decimal separator), dates dd/MM/yyyy HH:mm in Paris time, oui/non. Plain: commas, ISO 8601.
/// </summary>
internal sealed class CsvExportWriter : ExportWriter
{
    private readonly PageBuffer _page;
    private readonly CsvWriter _csv;
    private readonly bool _excel;

    public CsvExportWriter(Stream output, bool excel)
    {
        _excel = excel;
        _page = new PageBuffer(output);
        _csv = CsvWriter.Create(_page, Options(excel), leaveOpen: true);
    }

    /// <summary>The writer's options: shared with the benchmark's raw scan, so both write CSV the same way.</summary>
    public static CsvWriterOptions Options(bool excel) => CsvWriterOptions.Default with
    {
        Separator = excel ? ';' : ',',
        NewLine = "\r\n",
        WriteByteOrderMark = excel,
        // Neutralised by FormulaGuard, the same way for the CSV and the XLSX.
        Injection = CsvInjection.None,
    };

    public override Task BeginAsync(IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var column in columns)
        {
            _csv.WriteField(column.Header);
        }

        _csv.EndRecord();
        return Task.CompletedTask;
    }

    public override void WriteRow(object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        foreach (var cell in cells)
        {
            _csv.WriteField(Format(cell, _excel));
        }

        _csv.EndRecord();
    }

    public static string Format(object? cell, bool excel) => cell switch
    {
        null => "",
        string text => FormulaGuard.Neutralise(text),
        DateTimeOffset instant => excel ? ExportTime.French(instant) : ExportTime.Iso(instant),
        DateOnly day => excel ? ExportTime.French(day) : ExportTime.Iso(day),
        bool flag => excel ? (flag ? "oui" : "non") : (flag ? "true" : "false"),
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture),
        _ => FormulaGuard.Neutralise(Convert.ToString(cell, CultureInfo.InvariantCulture) ?? ""),
    };

    public override async Task EndPageAsync(CancellationToken cancellationToken)
    {
        await _csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _page.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public override Task CompleteAsync(CancellationToken cancellationToken) => EndPageAsync(cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync().ConfigureAwait(false);
        await _page.DisposeAsync().ConfigureAwait(false);
    }
}
