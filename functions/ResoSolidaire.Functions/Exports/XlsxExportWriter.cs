using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ResoSolidaire.Functions.Exports;

/// <summary>
/// XLSX with the Open XML SDK's forward-only <see cref="OpenXmlWriter"/>, streamed. The SDK's package API
/// cannot write to a write-only stream (and in read-write mode System.IO.Packaging keeps every zip entry in
/// memory until the end), so the package is assembled here with a ZipArchive in create mode, whose entries
/// are deflated as they are written: the fixed parts (content types, relationships, workbook, styles) first,
/// then the sheet, one row at a time, into a page buffer drained to the response after each storage page. Text cells are inline strings (no shared-string
/// table to hold in memory), neutralised like the CSV; dates are real dates in Paris time, formatted
/// dd/mm/yyyy hh:mm; yes/no read oui/non as in the CSV for Excel.
/// </summary>
internal sealed class XlsxExportWriter : ExportWriter
{
    private const uint DateTimeStyle = 1;
    private const uint DateStyle = 2;
    private const uint HeaderStyle = 3;

    private readonly PageBuffer _page;
    private ZipArchive? _zip;
    private Stream? _sheetStream;
    private OpenXmlWriter? _sheet;

    public XlsxExportWriter(Stream output) => _page = new PageBuffer(output);

    public override Task BeginAsync(IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _zip = new ZipArchive(_page, ZipArchiveMode.Create, leaveOpen: true);
        Text("[Content_Types].xml", ContentTypes);
        Text("_rels/.rels", RootRelationships);
        Text("xl/_rels/workbook.xml.rels", WorkbookRelationships);
        Part("xl/workbook.xml", new Workbook(new Sheets(new Sheet { Id = "rId1", SheetId = 1, Name = "Export" })));
        Part("xl/styles.xml", Stylesheet());

        _sheetStream = _zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
        _sheet = OpenXmlWriter.Create(_sheetStream, Encoding.UTF8);
        _sheet.WriteStartDocument();
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

        if (_sheetStream is not null)
        {
            await _sheetStream.DisposeAsync().ConfigureAwait(false);
            _sheetStream = null;
        }

        _zip?.Dispose(); // writes the central directory
        _zip = null;
        await _page.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        _sheet?.Dispose();
        if (_sheetStream is not null)
        {
            await _sheetStream.DisposeAsync().ConfigureAwait(false);
        }

        _zip?.Dispose();
        await _page.DisposeAsync().ConfigureAwait(false);
    }

    private void Text(string name, string xml)
    {
        using var entry = _zip!.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(Encoding.UTF8.GetBytes(xml));
    }

    private void Part(string name, OpenXmlPartRootElement root)
    {
        using var entry = _zip!.CreateEntry(name, CompressionLevel.Fastest).Open();
        root.Save(entry);
    }

    private const string ContentTypes =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"""
        + """<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"""
        + """<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"""
        + """<Default Extension="xml" ContentType="application/xml"/>"""
        + """<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"""
        + """<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""
        + """<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"""
        + "</Types>";

    private const string RootRelationships =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"""
        + """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"""
        + """<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"""
        + "</Relationships>";

    private const string WorkbookRelationships =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"""
        + """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"""
        + """<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"""
        + """<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"""
        + "</Relationships>";

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
