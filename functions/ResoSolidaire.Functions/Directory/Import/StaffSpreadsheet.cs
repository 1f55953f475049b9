using CsvHelper;

namespace ResoSolidaire.Functions.Directory.Import;

/// <summary>One data row of a spreadsheet: its line in the file and its values by column (list columns joined by line breaks).</summary>
public sealed record SpreadsheetRow(int Line, IReadOnlyDictionary<Column, string> Values)
{
    public string? this[Column column] => Values.TryGetValue(column, out var value) && value.Length > 0 ? value : null;
}

/// <summary>A parsed spreadsheet, or the reason it is refused as a whole.</summary>
public sealed record ParsedSpreadsheet(
    char Separator,
    IReadOnlySet<Column> Columns,
    IReadOnlyList<string> IgnoredHeaders,
    IReadOnlyList<SpreadsheetRow> Rows,
    FileRefusal? Refusal);

/// <summary>How to read a file: its separator and the line of its column names; null means « as detected ».</summary>
public sealed record SheetLayout(char? Separator = null, int? HeaderLine = null)
{
    public static SheetLayout Detect { get; } = new();

    /// <summary>The separators a staff spreadsheet may use, with their French names.</summary>
    public static IReadOnlyList<(char Separator, string Label)> Separators { get; } =
        [(';', "point-virgule ( ; )"), (',', "virgule ( , )"), ('\t', "tabulation")];

    public static string LabelOf(char separator) => Separators.FirstOrDefault(s => s.Separator == separator).Label ?? separator.ToString();
}

/// <summary>A line of the file as cells, before the columns are named.</summary>
public sealed record RawRow(int Line, string[] Cells);

/// <summary>
/// A file read as cells: the separator, the line of the column names and those names, and the data rows after
/// it (empty lines skipped, line numbers kept); or why it cannot be read.
/// </summary>
public sealed record RawSheet(char Separator, int HeaderLine, IReadOnlyList<string> Headers, IReadOnlyList<RawRow> Rows, FileRefusal? Refusal)
{
    /// <summary>The column each header names, as recognised from its text (null: not recognised).</summary>
    public IReadOnlyList<Column?> RecognisedColumns => Headers.Select(h => SpreadsheetColumns.Recognise(h)).ToList();
}

/// <summary>
/// Parses the CSV text of a staff spreadsheet with CsvHelper: separator ; , or tab (from Excel's "sep=;" first
/// line, else the header line), RFC 4180 quoting. The line of the column names is the first of the first ten
/// that names the name column (staff sheets often start with a title line), else the first. Malformed quoting
/// refuses the whole file with its line.
/// </summary>
public static class StaffSpreadsheet
{
    private const int HeaderSearchLines = 10;

    /// <summary>Reads the file and names its columns as recognised from the headers (the JSON endpoint's way).</summary>
    public static ParsedSpreadsheet Parse(string text, int maxRows)
    {
        var raw = Read(text, SheetLayout.Detect, maxRows);
        return raw.Refusal is not null ? Refused(raw.Separator, raw.Refusal) : Map(raw, raw.RecognisedColumns);
    }

    /// <summary>The file as cells, with the separator and header line given, or as detected.</summary>
    public static RawSheet Read(string text, SheetLayout layout, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(layout);
        var (detected, body) = Separator(text);
        var separator = layout.Separator ?? detected;
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            DetectSeparatorHint = false,
        };

        var records = new List<RawRow>();
        try
        {
            using var csv = CsvReader.FromText(body, options);
            while (csv.Read())
            {
                var cells = new string[csv.FieldCount];
                var empty = true;
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = csv.GetString(i)?.Trim() ?? "";
                    empty &= cells[i].Length == 0;
                }

                if (empty)
                {
                    continue;
                }

                // The header line and at most maxRows data rows after it (plus the lines a title may take before it).
                if (records.Count > maxRows + HeaderSearchLines)
                {
                    break;
                }

                records.Add(new RawRow((int)csv.LineNumber, cells));
            }
        }
        catch (CsvFormatException ex)
        {
            return new RawSheet(separator, 1, [], [], Refusal((int)Math.Max(1, ex.LineNumber), Describe(ex.Message)));
        }

        if (records.Count == 0)
        {
            return new RawSheet(separator, 1, [], [], new FileRefusal(1, "Le fichier ne contient aucune ligne."));
        }

        var headerIndex = layout.HeaderLine is { } line
            ? records.FindIndex(r => r.Line >= line)
            : DetectHeader(records);
        if (headerIndex < 0)
        {
            return new RawSheet(separator, layout.HeaderLine ?? 1, [], [], new FileRefusal(layout.HeaderLine ?? 1, $"Le fichier n'a pas de ligne {layout.HeaderLine} : indiquez la ligne qui porte les noms des colonnes."));
        }

        var header = records[headerIndex];
        var rows = records.Skip(headerIndex + 1).ToList();
        if (rows.Count > maxRows)
        {
            return new RawSheet(separator, header.Line, header.Cells, [], Refusal(rows[maxRows].Line, $"Le fichier dépasse {maxRows} lignes : découpez-le en plusieurs fichiers."));
        }

        return new RawSheet(separator, header.Line, header.Cells, rows, null);
    }

    /// <summary>
    /// The rows by column, each header index mapped to a column or to none. Refused without a name column, or when a
    /// column that holds one value is given twice.
    /// </summary>
    public static ParsedSpreadsheet Map(RawSheet raw, IReadOnlyList<Column?> columns)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(columns);
        if (raw.Refusal is not null)
        {
            return Refused(raw.Separator, raw.Refusal);
        }

        var mapped = new List<(int Index, Column Column)>();
        var present = new HashSet<Column>();
        var ignored = new List<string>();
        for (var i = 0; i < raw.Headers.Count; i++)
        {
            var header = raw.Headers[i];
            if ((i < columns.Count ? columns[i] : null) is not { } column)
            {
                if (!string.IsNullOrWhiteSpace(header))
                {
                    ignored.Add(header.Trim());
                }

                continue;
            }

            if (!present.Add(column) && !SpreadsheetColumns.IsList(column))
            {
                return Refused(raw.Separator, Refusal(raw.HeaderLine, $"La colonne « {SpreadsheetColumns.Label(column)} » apparaît deux fois (en-tête « {header.Trim()} »)."));
            }

            mapped.Add((i, column));
        }

        if (!present.Contains(Column.Name))
        {
            return Refused(raw.Separator, Refusal(raw.HeaderLine, "La colonne « Nom » est introuvable dans la ligne des noms de colonnes (en-têtes reconnus : Nom, Raison sociale, Structure, Dénomination...)."));
        }

        var rows = new List<SpreadsheetRow>(raw.Rows.Count);
        foreach (var row in raw.Rows)
        {
            var values = new Dictionary<Column, string>(mapped.Count);
            var empty = true;
            foreach (var (index, column) in mapped)
            {
                var value = index < row.Cells.Length ? row.Cells[index] : "";
                if (value.Length == 0)
                {
                    values.TryAdd(column, "");
                    continue;
                }

                empty = false;
                values[column] = values.TryGetValue(column, out var previous) && previous.Length > 0 ? previous + "\n" + value : value;
            }

            if (!empty)
            {
                rows.Add(new SpreadsheetRow(row.Line, values));
            }
        }

        return new ParsedSpreadsheet(raw.Separator, present, ignored, rows, null);
    }

    /// <summary>The first of the first lines that names the name column, else one naming two known columns, else the first.</summary>
    private static int DetectHeader(List<RawRow> records)
    {
        var candidates = records.Take(HeaderSearchLines).ToList();
        var withName = candidates.FindIndex(r => r.Cells.Any(c => SpreadsheetColumns.Recognise(c) == Column.Name));
        if (withName >= 0)
        {
            return withName;
        }

        var withTwo = candidates.FindIndex(r => r.Cells.Count(c => SpreadsheetColumns.Recognise(c) is not null) >= 2);
        return withTwo >= 0 ? withTwo : 0;
    }

    private static string Describe(string message) =>
        message.Contains("never closed", StringComparison.OrdinalIgnoreCase)
            ? "un guillemet ouvre un champ qui n'est jamais refermé. Vérifiez les guillemets (\") de cette ligne."
            : message.Contains("quote inside an unquoted field", StringComparison.OrdinalIgnoreCase)
                ? "un guillemet (\") apparaît au milieu d'un champ qui n'est pas entre guillemets."
                : message.Contains("after the closing quote", StringComparison.OrdinalIgnoreCase)
                    ? "du texte suit le guillemet fermant d'un champ."
                    : "la mise en forme CSV de cette ligne est invalide.";

    private static FileRefusal Refusal(int line, string reason) =>
        new(line, reason.Length > 0 && char.IsLower(reason[0]) ? $"Ligne {line} : {reason}" : reason);

    private static ParsedSpreadsheet Refused(char separator, FileRefusal refusal) =>
        new(separator, new HashSet<Column>(), [], [], refusal);

    /// <summary>The separator, from Excel's "sep=" line (which is blanked, keeping line numbers) or the first line.</summary>
    private static (char Separator, string Body) Separator(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var first = (end < 0 ? text : text[..end]).TrimEnd('\r');
        if (first.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && first.Length == 5)
        {
            return (first[4], end < 0 ? "" : text[end..]);
        }

        // The first line that holds a separator (a title line above the column names holds none).
        foreach (var line in text.Split('\n', HeaderSearchLines + 1).Take(HeaderSearchLines))
        {
            int semicolons = 0, commas = 0, tabs = 0;
            var quoted = false;
            foreach (var c in line)
            {
                switch (c)
                {
                    case '"': quoted = !quoted; break;
                    case ';' when !quoted: semicolons++; break;
                    case ',' when !quoted: commas++; break;
                    case '\t' when !quoted: tabs++; break;
                }
            }

            if (semicolons + commas + tabs > 0)
            {
                return (tabs > semicolons && tabs > commas ? '\t' : commas > semicolons ? ',' : ';', text);
            }
        }

        return (';', text);
    }
}
