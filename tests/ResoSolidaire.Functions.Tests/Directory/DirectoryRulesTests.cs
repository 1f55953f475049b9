using System.Text;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Directory.Import;
using ResoSolidaire.Functions.Platform.Staff;

namespace ResoSolidaire.Functions.Tests.Directory;

public class DirectoryRulesTests
{
    [Theory]
    [InlineData("732 829 320 00074", true)]
    [InlineData("73282932000075", false)]
    [InlineData("35600000000048", true)]
    [InlineData("35600000049837", true)]
    [InlineData("35600000049838", false)]
    public void ASiretIsCheckedWithItsLuhnKeyAndLaPostesException(string text, bool valid)
    {
        var digits = Siret.Normalize(text);

        Assert.NotNull(digits);
        Assert.Equal(valid, Siret.IsValid(digits));
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("7328293200007A")]
    [InlineData("732829320000744")]
    public void TextThatIsNotFourteenDigitsIsNoSiret(string text) => Assert.Null(Siret.Normalize(text));

    [Theory]
    [InlineData("L'Œuvre  Sociale — Bréquigny", "l oeuvre sociale brequigny")]
    [InlineData("  ÉTÉ ", "ete")]
    public void TextKeysIgnoreCaseAccentsAndPunctuation(string text, string key) => Assert.Equal(key, TextKey.Of(text));

    [Fact]
    public void InvalidUtf8IsReadAsWindows1252()
    {
        var decoded = SpreadsheetDecoder.Decode([.. "Nom\r\nCaf"u8.ToArray(), 0xE9, 0x0D, 0x0A]);

        Assert.Equal(SpreadsheetDecoder.Windows1252, decoded.Encoding);
        Assert.Equal("Nom\r\nCafé\r\n", decoded.Text);
    }

    [Fact]
    public void Utf8WithOrWithoutBomIsReadAsUtf8()
    {
        var withBom = SpreadsheetDecoder.Decode([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("Nom\r\nÉté\r\n")]);
        var without = SpreadsheetDecoder.Decode(Encoding.UTF8.GetBytes("Nom\r\nÉté\r\n"));

        Assert.Equal("Nom\r\nÉté\r\n", withBom.Text);
        Assert.Equal("Nom\r\nÉté\r\n", without.Text);
        Assert.Equal(SpreadsheetDecoder.Utf8, without.Encoding);
    }

    [Fact]
    public void ExcelsSepLineSetsTheSeparatorAndKeepsLineNumbers()
    {
        var sheet = StaffSpreadsheet.Parse("sep=,\r\nNom,Commune\r\nAsso; une,Rennes\r\n", 10);

        Assert.Null(sheet.Refusal);
        Assert.Equal(',', sheet.Separator);
        var row = Assert.Single(sheet.Rows);
        Assert.Equal(3, row.Line);
        Assert.Equal("Asso; une", row[Column.Name]);
    }

    [Fact]
    public void AFileOverTheRowLimitIsRefused()
    {
        var sheet = StaffSpreadsheet.Parse("Nom\r\nA\r\nB\r\nC\r\n", 2);

        Assert.NotNull(sheet.Refusal);
        Assert.Equal(4, sheet.Refusal.Line);
    }

    [Theory]
    [InlineData("N° SIRET", Column.Siret)]
    [InlineData("Adresse e-mail", Column.Emails)]
    [InlineData("E-mail 2", Column.Emails)]
    [InlineData("Secteurs d'activité", Column.Sectors)]
    [InlineData("Tél.", Column.Phones)]
    [InlineData("Raison sociale", Column.Name)]
    [InlineData("Mots-clés", Column.Tags)]
    public void HeaderVariantsAreRecognised(string header, Column column) => Assert.Equal(column, SpreadsheetColumns.Recognise(header));
}
