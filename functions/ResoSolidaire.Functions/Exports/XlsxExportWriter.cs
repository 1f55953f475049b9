using System.Globalization;
using System.IO.Packaging;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ResoSolidaire.Functions.Exports;

/// <summary>
/// XLSX with the Open XML SDK's forward-only <see cref="OpenXmlWriter"/>: the package is opened write-only,
/// so its zip entries are deflated as they are written (no entry is kept in memory), into a page buffer
/// that is drained to the response after each storage page. Text cells are inline strings (no shared-string
/// table to hold in memory), neutralised like the CSV; dates are real dates in Paris time, formatted
/// dd/mm/yyyy hh:mm; yes/no read oui/non as in the CSV for Excel.
/// </summary>
internal sealed class XlsxExportWriter : ExportWriter
{
    private const uint DateTimeStyle = 1;
    private const uint DateStyle = 2;
    private const uint HeaderStyle = 3;

    private readonly PageBuffer _page;
    private Package? _package;
    private SpreadsheetDocument? _document;
    private OpenXmlWriter? _sheet;

    public XlsxExportWriter(Stream output) => _page = new PageBuffer(output);

    public override Task BeginAsync(IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _package = Package.Open(_page, FileMode.Create, FileAccess.Write);
        _document = SpreadsheetDocument.Create(_package, SpreadsheetDocumentType.Workbook, autoSave: true);
        var workbook = _document.AddWorkbookPart();
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();
        styles.Stylesheet.Save();
        var worksheet = workbook.AddNewPart<WorksheetPart>();
        workbook.Workbook = new Workbook(new Sheets(new Sheet { Id = workbook.GetIdOfPart(worksheet), SheetId = 1, Name = "Export" }));
        workbook.Workbook.Save();

        _sheet = OpenXmlWriter.Create(worksheet, Encoding.UTF8);
        _sheet.WriteStartElement(new Worksheet());
        _sheet.WriteStartElement(new SheetData());
        _sheet.WriteStartElement(new Row());
        foreach (var column in columns)
        {
            _sheet.WriteElement(TextCell(column.Header, HeaderStyle));
        }

        _sheet.WriteEndElement();
        return Task.CompletedTask;
    }

    public override void WriteRow(object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var sheet = _sheet ?? throw new InvalidOperationException("BeginAsync first.");
        sheet.WriteStartElement(new Row());
        foreach (var cell in cells)
        {
            sheet.WriteElement(cell switch
            {
                null => new Cell(),
                string text => TextCell(FormulaGuard.Neutralise(text), null),
                DateTimeOffset instant => NumberCell(ExportTime.ToParis(instant).ToOADate(), DateTimeStyle),
                DateOnly day => NumberCell(day.ToDateTime(TimeOnly.MinValue).ToOADate(), DateStyle),
                bool flag => TextCell(flag ? "oui" : "non", null),
                int number => NumberCell(number, null),
                long number => NumberCell(number, null),
                _ => TextCell(FormulaGuard.Neutralise(Convert.ToString(cell, CultureInfo.InvariantCulture) ?? ""), null),
            });
        }

        sheet.WriteEndElement();
    }

    public override Task EndPageAsync(CancellationToken cancellationToken) => _page.DrainAsync(cancellationToken);

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_sheet is not null)
        {
            _sheet.WriteEndElement(); // SheetData
            _sheet.WriteEndElement(); // Worksheet
            _sheet.Close();
            _sheet.Dispose();
            _sheet = null;
        }

        _document?.Dispose();
        _document = null;
        _package?.Close();
        _package = null;
        await _page.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        _sheet?.Dispose();
        _document?.Dispose();
        await _page.DisposeAsync().ConfigureAwait(false);
    }

    private static Cell TextCell(string text, uint? style)
    {
        var cell = new Cell(new InlineString(new Text(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve })) { DataType = CellValues.InlineString };
        if (style is { } s)
        {
            cell.StyleIndex = s;
        }

        return cell;
    }

    private static Cell NumberCell(double value, uint? style)
    {
        var cell = new Cell(new CellValue(value.ToString("R", CultureInfo.InvariantCulture)));
        if (style is { } s)
        {
            cell.StyleIndex = s;
        }

        return cell;
    }

    /// <summary>XML 1.0 cannot carry most control characters: they are dropped (tab, CR and LF stay).</summary>
    private static string XmlSafe(string text)
    {
        foreach (var c in text)
        {
            if (!XmlConvertIsValid(c))
            {
                return string.Concat(text.Where(XmlConvertIsValid));
            }
        }

        return text;
    }

    private static bool XmlConvertIsValid(char c) => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF');

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "dd/mm/yyyy hh:mm" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "dd/mm/yyyy" })
        { Count = 2 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
            new CellFormat { FontId = 1, ApplyFont = true })
        { Count = 4 });
}
