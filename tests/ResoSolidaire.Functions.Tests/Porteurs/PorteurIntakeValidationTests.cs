using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Tests.Porteurs;

public class PorteurIntakeValidationTests
{
    internal static PorteurRequest Valid() => new()
    {
        FirstName = "Yann",
        LastName = "Le Goff",
        Email = "yann.legoff@exemple.fr",
        Phone = "07 11 22 33 44",
        Commune = "Cesson-Sévigné",
        PostalCode = "35510",
        ProjectTitle = "Atelier vélo solidaire",
        ProjectDescription = "Un atelier de réparation de vélos d'occasion, animé par des personnes en insertion.",
        Sector = "mobilite",
        Stage = "etude",
        LegalStatus = "scic",
        Needs = ["financement", "local", "local"],
        HeardFrom = "Un ami",
        Consent = true,
    };

    private static PorteurIntake? Validate(PorteurRequest request, FieldErrors errors) =>
        PorteurIntake.Validate(request, CommuneDirectory.Instance, Functions.Directory.Sectors.Terms.All.ToDictionary(t => t.Code, t => t.Label), errors);

    [Fact]
    public void AValidIntakeResolvesItsCommuneInThePaysDeRennes()
    {
        var errors = new FieldErrors();

        var intake = Validate(Valid(), errors);

        Assert.False(errors.Any);
        Assert.Equal("35051", intake!.Commune.InseeCode);
        Assert.True(intake.Commune.InPaysDeRennes);
        Assert.Equal(["financement", "local"], intake.Needs);
        Assert.Equal("+33711223344", intake.Phone);
    }

    [Fact]
    public void AnIntakeFromOutsideTheTerritoryIsAcceptedAndFlagged()
    {
        var errors = new FieldErrors();

        var intake = Validate(Valid() with { Commune = "29019", PostalCode = null }, errors);

        Assert.False(errors.Any);
        Assert.Equal("Brest", intake!.Commune.Name);
        Assert.False(intake.Commune.InPaysDeRennes);
    }

    [Fact]
    public void ACommuneNotAtThePostalCodeIsRefusedWithTheCommunesThatAreThere()
    {
        var errors = new FieldErrors();

        Validate(Valid() with { Commune = "Rennes", PostalCode = "35510" }, errors);

        Assert.Contains("Cesson-Sévigné", Assert.Single(errors.ToDictionary()["commune"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stage", "lancement")]
    [InlineData("legalStatus", "SARL")]
    [InlineData("sector", "armement")]
    public void AChoiceOutsideItsListIsRefused(string field, string value)
    {
        var errors = new FieldErrors();
        var request = field switch
        {
            "stage" => Valid() with { Stage = value },
            "legalStatus" => Valid() with { LegalStatus = value },
            _ => Valid() with { Sector = value },
        };

        Validate(request, errors);

        Assert.Equal([field], errors.ToDictionary().Keys);
    }

    [Fact]
    public void AnUnknownNeedIsRefused()
    {
        var errors = new FieldErrors();

        Validate(Valid() with { Needs = ["financement", "licorne"] }, errors);

        Assert.Equal(["needs"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void APhoneIsRequiredForAPorteurAndMustBeFrench()
    {
        var missing = new FieldErrors();
        var foreign = new FieldErrors();

        Validate(Valid() with { Phone = null }, missing);
        Validate(Valid() with { Phone = "+44 20 7946 0958" }, foreign);

        Assert.Equal("Le numéro de téléphone est obligatoire.", Assert.Single(missing.ToDictionary()["phone"]));
        Assert.True(foreign.Has("phone"));
    }
}
