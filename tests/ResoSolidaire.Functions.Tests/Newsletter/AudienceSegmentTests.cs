using ResoSolidaire.Functions.Newsletter.Audience;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>A segment as stored in an edition: the lists of today, and the single values of editions written before them.</summary>
public sealed class AudienceSegmentTests
{
    [Fact]
    public void ASegmentStoredWithSingleValuesReadsAsListsAnEpciOrACommuneByItsLength()
    {
        var epci = AudienceSegment.FromStored("""{"territory":"243500139","sector":"mobilite","kind":"association","tag":null}""");
        var commune = AudienceSegment.FromStored("""{"territory":"35238","sector":null,"kind":null,"tag":"forum"}""");

        Assert.Equal(["243500139"], epci.Epcis);
        Assert.Empty(epci.Communes);
        Assert.Equal(["mobilite"], epci.Sectors);
        Assert.Equal(["association"], epci.Kinds);
        Assert.Empty(epci.Tags);
        Assert.Equal(["35238"], commune.Communes);
        Assert.Equal(["forum"], commune.Tags);
        Assert.Empty(commune.Epcis);
    }

    [Fact]
    public void ASegmentIsNormalisedBeforeItIsKeptAndNoCriterionMeansEveryone()
    {
        var typed = new AudienceSegment { Sectors = [" mobilite ", "mobilite", ""], Kinds = null!, Quartiers = ["le-blosne"] };

        var normalised = typed.Normalized();

        Assert.Equal(["mobilite"], normalised.Sectors);
        Assert.Empty(normalised.Kinds);
        Assert.True(normalised.HasTerritory);
        Assert.False(normalised.IsEveryone);
        Assert.True(AudienceSegment.FromStored(null).IsEveryone);
        Assert.True(AudienceSegment.FromStored("""{"epcis":[],"sectors":[]}""").IsEveryone);
    }
}
