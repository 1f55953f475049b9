using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ResoSolidaire.Functions.Platform.Report;

namespace ResoSolidaire.Functions.Report;

/// <summary>
/// The report's figures as an XLSX workbook, one sheet per section: its key figures, then each table with its
/// header. Numbers are real numbers (Excel shows them in the reader's own format: « 1 234 », « 12,5 »); text is
/// inline. A few dozen rows per sheet: built in memory with the Open XML SDK.
/// </summary>
public static class ReportWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private const uint Bold = 1;
    private const uint Whole = 2;
    private const uint OneDecimal = 3;
    private const uint Title = 4;

    public static string FileName(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return period.From.Month == 1 && period.From.Day == 1 && period.To == new DateOnly(period.From.Year, 12, 31)
            ? $"rapport-activite_{period.From.Year.ToString(CultureInfo.InvariantCulture)}.xlsx"
            : $"rapport-activite_{LocalDates.ToText(period.From)}_{LocalDates.ToText(period.To)}.xlsx";
    }

    public static byte[] Write(ActivityReportResult report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            uint id = 1;
            foreach (var section in report.Sections)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                part.Worksheet = new Worksheet(new Columns(new Column { Min = 1, Max = 1, Width = 60, CustomWidth = true }, new Column { Min = 2, Max = 6, Width = 18, CustomWidth = true }), data);
                Add(data, TextCell(section.Title, Title));
                Add(data, TextCell($"Rapport d'activité de Réso Solidaire, {ReportFormat.Period(report.Period)}", null));
                if (section.Note is not null)
                {
                    Add(data, TextCell(section.Note, null));
                }

                data.AppendChild(new Row());
                Add(data, TextCell("Chiffres clés", Bold));
                foreach (var figure in section.Figures)
                {
                    Add(data, TextCell(figure.Label, null), NumberCell(figure.Value, figure.Unit), TextCell(UnitName(figure.Unit), null), TextCell(figure.Note ?? "", null));
                }

                foreach (var table in section.Tables)
                {
                    data.AppendChild(new Row());
                    Add(data, TextCell(table.Title, Bold));
                    Add(data, [TextCell(table.LabelHeader, Bold), .. table.Columns.Select(c => TextCell(c, Bold))]);
                    foreach (var row in table.Rows)
                    {
                        Add(data, [TextCell(row.Label, null), .. row.Values.Select(v => NumberCell(v, table.Unit))]);
                    }
                }

                sheets.AppendChild(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = SheetName(section.Title, names) });
            }
        }

        return stream.ToArray();
    }

    /// <summary>Excel's rules: 31 characters at most, none of : \ / ? * [ ], unique in the workbook.</summary>
    private static string SheetName(string title, HashSet<string> taken)
    {
        var clean = new string([.. title.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']'))]).Trim();
        var name = clean.Length > 31 ? clean[..31].Trim() : clean;
        for (var n = 2; !taken.Add(name); n++)
        {
            var suffix = " " + n.ToString(CultureInfo.InvariantCulture);
            name = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }

        return name;
    }

    private static string UnitName(ReportUnit unit) => unit switch
    {
        ReportUnit.Days => "jours",
        ReportUnit.Hours => "heures",
        ReportUnit.Percent => "%",
        _ => "",
    };

    private static void Add(SheetData data, params Cell[] cells) => data.AppendChild(new Row(cells));

    private static Cell TextCell(string text, uint? style)
    {
        var cell = new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }) };
        if (style is { } s)
        {
            cell.StyleIndex = s;
        }

        return cell;
    }

    private static Cell NumberCell(double? value, ReportUnit unit) => value is { } v
        ? new Cell { CellValue = new CellValue(v), DataType = CellValues.Number, StyleIndex = unit == ReportUnit.Count ? Whole : OneDecimal }
        : new Cell();

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "0.0" }) { Count = 1 },
        new Fonts(new Font(), new Font(new Bold()), new Font(new Bold(), new FontSize { Val = 14 })) { Count = 3 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { FontId = 2, ApplyFont = true })
        { Count = 5 });
}
