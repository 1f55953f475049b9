using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Tests.Territory;

public class CommuneDirectoryTests
{
    private static readonly CommuneDirectory Communes = CommuneDirectory.Instance;

    [Fact]
    public void TheEmbeddedDataHoldsEveryCurrentFrenchCommune() =>
        Assert.InRange(Communes.All.Count, 34_000, 36_000);

    [Fact]
    public void ThePaysDeRennesHoldsSeventySixCommunesInItsFourEpcis()
    {
        var inTerritory = Communes.All.Where(c => c.InPaysDeRennes).ToList();

        Assert.Equal(76, inTerritory.Count);
        Assert.All(inTerritory, c => Assert.Contains(c.EpciCode!, CommuneDirectory.PaysDeRennesEpcis.Keys));
        Assert.Equal(43, inTerritory.Count(c => c.EpciCode == "243500139"));
    }

    [Fact]
    public void TheDataFileNamesItsSourcePackageVersionAndGenerationDate()
    {
        Assert.Contains("@etalab/decoupage-administratif", Communes.Metadata["source"], StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+$", Communes.Metadata["package-version"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}", Communes.Metadata["generated"]);
    }

    [Fact]
    public void AnInseeCodeAloneFindsItsCommune()
    {
        var lookup = Communes.Resolve("35238", null);

        Assert.Equal(CommuneMatch.Found, lookup.Match);
        Assert.Equal("Rennes", lookup.Commune!.Name);
        Assert.True(lookup.Commune.InPaysDeRennes);
        Assert.Contains("35200", lookup.Commune.PostalCodes);
    }

    [Theory]
    [InlineData("Cesson-Sévigné", "35510")]
    [InlineData("cesson sevigne", "35510")]
    [InlineData("CESSON-SÉVIGNÉ", "35 510")]
    public void ANameWithItsPostalCodeIsFoundWhateverTheCaseAccentsOrHyphens(string name, string postalCode)
    {
        var lookup = Communes.Resolve(name, postalCode);

        Assert.Equal(CommuneMatch.Found, lookup.Match);
        Assert.Equal("35051", lookup.Commune!.InseeCode);
        Assert.True(lookup.Commune.InPaysDeRennes);
    }

    [Fact]
    public void SaintMayBeAbbreviatedAndACommuneOutsideTheTerritoryIsFlagged()
    {
        var lookup = Communes.Resolve("St-Malo", "35400");

        Assert.Equal(CommuneMatch.Found, lookup.Match);
        Assert.Equal("Saint-Malo", lookup.Commune!.Name);
        Assert.False(lookup.Commune.InPaysDeRennes);
    }

    [Fact]
    public void CorsicanInseeCodesAreRecognised() =>
        Assert.Equal("Ajaccio", Communes.Resolve("2A004", null).Commune?.Name);

    [Theory]
    [InlineData("99999", null, CommuneMatch.UnknownInseeCode)]
    [InlineData("Rennes", "", CommuneMatch.UnknownPostalCode)]
    [InlineData("Rennes", "00000", CommuneMatch.UnknownPostalCode)]
    [InlineData("Rennes", "35510", CommuneMatch.NameNotAtPostalCode)]
    [InlineData("", "35000", CommuneMatch.Missing)]
    public void ACommuneThatCannotBeFoundSaysWhy(string name, string? postalCode, CommuneMatch expected) =>
        Assert.Equal(expected, Communes.Resolve(name, postalCode).Match);

    [Fact]
    public void RennesHasItsTwelveOfficialQuartiers()
    {
        Assert.Equal(12, Quartiers.All.Count);
        Assert.Equal(Enumerable.Range(1, 12), Quartiers.All.Select(q => q.Number));
        Assert.Equal("Le Blosne", Quartiers.Find("le-blosne")!.Name);
        Assert.Equal(Quartiers.All.Count, Quartiers.All.Select(q => q.Code).Distinct().Count());
    }
}
