using System.Text;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Exports;
using ResoSolidaire.Functions.Platform.Exports;

namespace ResoSolidaire.Functions.Tests.Exports;

/// <summary>The export writers on rows made in memory: what Excel, LibreOffice and a JSON reader get.</summary>
public sealed class ExportFormatTests
{
    private static readonly ExportColumn[] Columns =
    [
        new("name", "Nom de la structure"),
        new("note", "Remarque"),
        new("at", "Reçu le"),
        new("day", "Date"),
        new("member", "Adhérent"),
        new("count", "Nombre"),
    ];

    // 10:05 UTC on 1 July is 12:05 in Paris (summer time); 23:30 UTC on 31 December is 00:30 on 1 January in Paris.
    private static readonly object?[][] Rows =
    [
        ["Éléonore & Cœur d'Œuvre — Châteaugiron", "ligne 1\nligne 2; avec \"guillemets\"", new DateTimeOffset(2026, 7, 1, 10, 5, 0, TimeSpan.Zero), new DateOnly(2026, 3, 15), true, 42],
        ["Crèche « Les Pâquerettes »", null, new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.Zero), null, false, 0],
        ["Ça marche, à Saint-Aubin-d'Aubigné", "àâäéèêëîïôöùûüÿç ÀÉÈ œ æ €", new DateTimeOffset(2026, 1, 15, 8, 0, 0, TimeSpan.Zero), new DateOnly(2026, 12, 1), true, -3],
    ];

    private static MemoryDataset Dataset() => new(Columns, Rows);

    [Fact]
    public async Task TheCsvForExcelStartsWithTheByteOrderMarkAndKeepsEveryAccentThroughExcelsReading()
    {
        var bytes = await Dataset().WriteAsync(ExportFormat.Excel);

        var rows = ExportFiles.ReadAsFrenchExcel(bytes);

        Assert.Equal(["Nom de la structure", "Remarque", "Reçu le", "Date", "Adhérent", "Nombre"], rows[0]);
        Assert.Equal(["Éléonore & Cœur d'Œuvre — Châteaugiron", "ligne 1\nligne 2; avec \"guillemets\"", "01/07/2026 12:05", "15/03/2026", "oui", "42"], rows[1]);
        Assert.Equal(["Crèche « Les Pâquerettes »", "", "01/01/2026 00:30", "", "non", "0"], rows[2]);
        Assert.Equal("àâäéèêëîïôöùûüÿç ÀÉÈ œ æ €", rows[3][1]);
        Assert.Equal(4, rows.Count);
        Assert.DoesNotContain((byte)0xEF, bytes.Skip(3));
    }

    [Fact]
    public async Task ThePlainCsvUsesCommasIsoDatesAndNoByteOrderMark()
    {
        var bytes = await Dataset().WriteAsync(ExportFormat.Csv);

        Assert.NotEqual(0xEF, bytes[0]);
        var rows = ExportFiles.Parse(Encoding.UTF8.GetString(bytes), ',');
        Assert.Equal(["Éléonore & Cœur d'Œuvre — Châteaugiron", "ligne 1\nligne 2; avec \"guillemets\"", "2026-07-01T10:05:00Z", "2026-03-15", "true", "42"], rows[1]);
        Assert.Equal("2025-12-31T23:30:00Z", rows[2][2]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://example.com\",\"clic\")")]
    [InlineData("+33612345678")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public async Task EveryFormulaPrefixIsNeutralisedInTheCsvAndTheXlsx(string dangerous)
    {
        var dataset = new MemoryDataset([new("value", "Valeur"), new("safe", "Sans risque")], [[dangerous, "a=b"]]);

        var excel = ExportFiles.ReadAsFrenchExcel(await dataset.WriteAsync(ExportFormat.Excel));
        var plain = ExportFiles.Parse(Encoding.UTF8.GetString(await dataset.WriteAsync(ExportFormat.Csv)), ',');
        var xlsx = ExportFiles.ReadXlsx(await dataset.WriteAsync(ExportFormat.Xlsx));

        Assert.Equal("'" + dangerous, excel[1][0]);
        Assert.Equal("'" + dangerous, plain[1][0]);
        // XML reads a lone carriage return as a line feed (end-of-line normalisation): the prefix is what matters.
        Assert.Equal("'" + dangerous.Replace('\r', '\n'), xlsx[1][0]);
        Assert.Equal("a=b", excel[1][1]);
    }

    [Fact]
    public async Task NumbersAndDatesAreNotMistakenForFormulas()
    {
        var dataset = new MemoryDataset([new("n", "Nombre")], [[-3]]);

        var rows = ExportFiles.ReadAsFrenchExcel(await dataset.WriteAsync(ExportFormat.Excel));

        Assert.Equal("-3", rows[1][0]);
    }

    [Fact]
    public async Task TheXlsxOpensWithTheOpenXmlReaderAndMatchesTheCsvForExcel()
    {
        var csv = ExportFiles.ReadAsFrenchExcel(await Dataset().WriteAsync(ExportFormat.Excel));
        var xlsx = ExportFiles.ReadXlsx(await Dataset().WriteAsync(ExportFormat.Xlsx));

        Assert.Equal(csv.Count, xlsx.Count);
        for (var i = 0; i < csv.Count; i++)
        {
            Assert.Equal(csv[i], xlsx[i]);
        }
    }

    [Fact]
    public async Task TheJsonIsAnArrayOfObjectsKeyedByColumnWithIsoDates()
    {
        var json = JsonNode.Parse(await Dataset().WriteAsync(ExportFormat.Json))!.AsArray();

        Assert.Equal(3, json.Count);
        Assert.Equal("Éléonore & Cœur d'Œuvre — Châteaugiron", json[0]!["name"]!.GetValue<string>());
        Assert.Equal("2026-07-01T10:05:00Z", json[0]!["at"]!.GetValue<string>());
        Assert.True(json[0]!["member"]!.GetValue<bool>());
        Assert.Equal(42, json[0]!["count"]!.GetValue<int>());
        Assert.Null(json[1]!["note"]);
    }

    [Fact]
    public void TheFileNameTravelsAsAsciiAndAsUtf8()
    {
        var header = ExportService.ContentDisposition("abonnés_2026-03-15.csv");

        Assert.Equal("attachment; filename=\"abonnes_2026-03-15.csv\"; filename*=UTF-8''abonn%C3%A9s_2026-03-15.csv", header);
    }

    [Fact]
    public async Task AnEmptyExportStillHasItsHeaderRow()
    {
        var dataset = new MemoryDataset(Columns, []);

        Assert.Single(ExportFiles.ReadAsFrenchExcel(await dataset.WriteAsync(ExportFormat.Excel)));
        Assert.Single(ExportFiles.ReadXlsx(await dataset.WriteAsync(ExportFormat.Xlsx)));
        Assert.Empty(JsonNode.Parse(await dataset.WriteAsync(ExportFormat.Json))!.AsArray());
    }
}
