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

/// <summary>
/// Parses the CSV text of a staff spreadsheet with CsvHelper: separator ; , or tab (from the header line,
/// or Excel's "sep=;" first line), RFC 4180 quoting. Malformed quoting refuses the whole file with its line.
/// </summary>
public static class StaffSpreadsheet
{
    public static ParsedSpreadsheet Parse(string text, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (separator, body) = Separator(text);
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            DetectSeparatorHint = false,
        };

        try
        {
            using var csv = CsvReader.FromText(body, options);
            var headers = csv.Headers;
            var columns = new (int Index, Column Column)[headers.Count];
            var mapped = 0;
            var present = new HashSet<Column>();
            var ignored = new List<string>();
            for (var i = 0; i < headers.Count; i++)
            {
                var header = headers[i];
                if (SpreadsheetColumns.Recognise(header) is not { } column)
                {
                    if (!string.IsNullOrWhiteSpace(header))
                    {
                        ignored.Add(header.Trim());
                    }

                    continue;
                }

                if (!present.Add(column) && !SpreadsheetColumns.IsList(column))
                {
                    return Refused(separator, 1, $"La colonne « {SpreadsheetColumns.Label(column)} » apparaît deux fois (en-tête « {header.Trim()} »).");
                }

                columns[mapped++] = (i, column);
            }

            if (!present.Contains(Column.Name))
            {
                return Refused(separator, 1, "La colonne « Nom » est introuvable dans la première ligne (en-têtes reconnus : Nom, Raison sociale, Structure, Dénomination...).");
            }

            var rows = new List<SpreadsheetRow>();
            while (csv.Read())
            {
                var values = new Dictionary<Column, string>(mapped);
                var empty = true;
                for (var m = 0; m < mapped; m++)
                {
                    var (index, column) = columns[m];
                    var value = index < csv.FieldCount ? csv.GetString(index)?.Trim() ?? "" : "";
                    if (value.Length == 0)
                    {
                        values.TryAdd(column, "");
                        continue;
                    }

                    empty = false;
                    values[column] = values.TryGetValue(column, out var previous) && previous.Length > 0 ? previous + "\n" + value : value;
                }

                if (empty)
                {
                    continue;
                }

                if (rows.Count == maxRows)
                {
                    return Refused(separator, (int)csv.LineNumber, $"Le fichier dépasse {maxRows} lignes : découpez-le en plusieurs fichiers.");
                }

                rows.Add(new SpreadsheetRow((int)csv.LineNumber, values));
            }

            return new ParsedSpreadsheet(separator, present, ignored, rows, null);
        }
        catch (CsvFormatException ex)
        {
            return Refused(separator, (int)Math.Max(1, ex.LineNumber), Describe(ex.Message));
        }
    }

    private static string Describe(string message) =>
        message.Contains("never closed", StringComparison.OrdinalIgnoreCase)
            ? "un guillemet ouvre un champ qui n'est jamais refermé. Vérifiez les guillemets (\") de cette ligne."
            : message.Contains("quote inside an unquoted field", StringComparison.OrdinalIgnoreCase)
                ? "un guillemet (\") apparaît au milieu d'un champ qui n'est pas entre guillemets."
                : message.Contains("after the closing quote", StringComparison.OrdinalIgnoreCase)
                    ? "du texte suit le guillemet fermant d'un champ."
                    : "la mise en forme CSV de cette ligne est invalide.";

    private static ParsedSpreadsheet Refused(char separator, int line, string reason)
    {
        var text = reason.Length > 0 && char.IsLower(reason[0]) ? $"Ligne {line} : {reason}" : reason;
        return new ParsedSpreadsheet(separator, new HashSet<Column>(), [], [], new FileRefusal(line, text));
    }

    /// <summary>The separator, from Excel's "sep=" line (which is blanked, keeping line numbers) or the header line.</summary>
    private static (char Separator, string Body) Separator(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var first = (end < 0 ? text : text[..end]).TrimEnd('\r');
        if (first.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && first.Length == 5)
        {
            return (first[4], end < 0 ? "" : text[end..]);
        }

        int semicolons = 0, commas = 0, tabs = 0;
        var quoted = false;
        foreach (var c in first)
        {
            switch (c)
            {
                case '"': quoted = !quoted; break;
                case ';' when !quoted: semicolons++; break;
                case ',' when !quoted: commas++; break;
                case '\t' when !quoted: tabs++; break;
            }
        }

        var separator = tabs > semicolons && tabs > commas ? '\t' : commas > semicolons ? ',' : ';';
        return (separator, text);
    }
}
