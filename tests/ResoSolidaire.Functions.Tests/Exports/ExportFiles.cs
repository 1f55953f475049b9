using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Http;
using ResoSolidaire.Functions.Exports;
using ResoSolidaire.Functions.Platform.Exports;

namespace ResoSolidaire.Functions.Tests.Exports;

/// <summary>Reads export files back as their users' programs would.</summary>
public static class ExportFiles
{
    /// <summary>
    /// As French Excel opens a .csv: a UTF-8 byte order mark makes it read UTF-8 (without it, Windows-1252),
    /// and the list separator of the French locale is the semicolon. Quoted fields may hold separators and line breaks.
    /// </summary>
    public static List<string[]> ReadAsFrenchExcel(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Assert.True(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "A CSV for Excel must start with the UTF-8 byte order mark.");
        return Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3), ';');
    }

    public static List<string[]> Parse(string text, char separator)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }

        return rows;
    }

    /// <summary>
    /// The first sheet, read with the Open XML SDK, each cell as the CSV for Excel writes it: text as is,
    /// dates (numbers with a date style) back to dd/MM/yyyy HH:mm or dd/MM/yyyy.
    /// </summary>
    public static List<string[]> ReadXlsx(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes);
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var rows = new List<string[]>();
        foreach (var row in part.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>())
        {
            rows.Add([.. row.Elements<Cell>().Select(cell => Text(cell, formats))]);
        }

        return rows;
    }

    private static string Text(Cell cell, List<CellFormat> formats)
    {
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        if (cell.CellValue is null)
        {
            return "";
        }

        var value = cell.CellValue.Text;
        var format = cell.StyleIndex is { } style ? formats[(int)style.Value].NumberFormatId?.Value : null;
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return format switch
        {
            164 => DateTime.FromOADate(number).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture),
            165 => DateTime.FromOADate(number).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
            _ => value,
        };
    }
}

/// <summary>A dataset made in memory, for the writers' tests: its rows come in pages as storage would give them.</summary>
public sealed class MemoryDataset(IReadOnlyList<ExportColumn> columns, IReadOnlyList<object?[]> rows, int pageSize = 2) : IExportDataset
{
    public string Slug => "essai";

    public string FileStem => "essai";

    public IReadOnlyList<ExportColumn> Columns => columns;

    public Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken) =>
        Task.FromResult(new ExportPlan(PagesAsync));

    public async Task<byte[]> WriteAsync(ExportFormat format)
    {
        using var output = new MemoryStream();
        var plan = await PlanAsync(new QueryCollection(), new DateRange(null, null), [], default);
        var count = await ExportService.WriteAsync(this, plan, format, output, default);
        Assert.Equal(rows.Count, count);
        return output.ToArray();
    }

    private async IAsyncEnumerable<IReadOnlyList<object?[]>> PagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var page in rows.Chunk(pageSize))
        {
            await Task.Yield();
            yield return page;
        }
    }
}
