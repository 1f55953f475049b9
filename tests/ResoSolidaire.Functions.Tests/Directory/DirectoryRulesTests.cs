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

    [Theory]
    [InlineData("Secteur(s)", Column.Sectors)]
    [InlineData("Secteur(s) d'activité", Column.Sectors)]
    [InlineData("  Secteurs   d’activités : ", Column.Sectors)]
    [InlineData("E-mail(s)", Column.Emails)]
    [InlineData("Téléphone(s) 2", Column.Phones)]
    [InlineData("Commentaire(s)", Column.Notes)]
    [InlineData("N° SIRET", Column.Siret)]
    [InlineData("Nom de la structure :", Column.Name)]
    [InlineData("Mots-clés", Column.Tags)]
    public void HeadersAreRecognisedDespitePluralMarksExtraSpacesAndPunctuation(string header, Column column) =>
        Assert.Equal(column, SpreadsheetColumns.Recognise(header));

    [Fact]
    public void TheColumnNamesAreFoundBelowATitleLineAndTheLinesKeepTheirNumbers()
    {
        var sheet = StaffSpreadsheet.Read("Annuaire des partenaires (mars 2026)\r\n\r\nNom;Secteur(s)\r\nLe SEL;Échanges réciproques (SEL)\r\n", SheetLayout.Detect, 10);

        Assert.Null(sheet.Refusal);
        Assert.Equal(';', sheet.Separator);
        Assert.Equal(3, sheet.HeaderLine);
        Assert.Equal([Column.Name, Column.Sectors], sheet.RecognisedColumns);
        Assert.Equal(4, Assert.Single(sheet.Rows).Line);
    }

    [Fact]
    public void ASeparatorAndAHeaderLineChosenByStaffOverrideTheDetection()
    {
        var sheet = StaffSpreadsheet.Read("Nom,Commune\r\nRésumé;Ville\r\nAsso, une;Rennes\r\n", new SheetLayout(';', 2), 10);

        Assert.Equal(["Résumé", "Ville"], sheet.Headers);
        Assert.Equal(["Asso, une", "Rennes"], Assert.Single(sheet.Rows).Cells);
    }

    [Fact]
    public void AMergedTermIsFoundByItsFormerSpellingsAndARetiredOneByNone()
    {
        var vocabulary = new Vocabulary(
            [new Term("sante-social", "Santé, action sociale", ["social"])],
            [new FormerTerm(new Term("habitat", "Habitat, logement", ["logement"]), "sante-social"), new FormerTerm(new Term("finance", "Finance solidaire"), null)]);

        Assert.Equal("sante-social", vocabulary.Find("Logement")?.Code);
        Assert.Equal("sante-social", vocabulary.Find("habitat")?.Code);
        Assert.Null(vocabulary.Find("finance"));
        Assert.Equal("Santé, action sociale", vocabulary.Label("habitat"));
        Assert.Equal("Finance solidaire", vocabulary.Label("finance"));
        Assert.Equal(["sante-social", "habitat"], vocabulary.CodesOf("sante-social"));
        Assert.True(vocabulary.Knows("finance"));
        Assert.False(vocabulary.IsCode("finance"));
    }
}
