using ResoSolidaire.Functions.Platform.Forms;

namespace ResoSolidaire.Functions.Tests.Forms;

public class FieldRulesTests
{
    [Theory]
    [InlineData("  Camille.Martin@Exemple.FR ", "Camille.Martin@exemple.fr")]
    [InlineData("contact@élan-solidaire.fr", "contact@xn--lan-solidaire-9gb.fr")]
    public void EmailsAreTrimmedAndTheirDomainNormalised(string typed, string expected)
    {
        var errors = new FieldErrors();

        Assert.Equal(expected, FieldRules.Email(errors, "email", typed));
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData("camille")]
    [InlineData("camille@")]
    [InlineData("camille@exemple")]
    [InlineData("ca mille@exemple.fr")]
    [InlineData("camille@@exemple.fr")]
    [InlineData("camille@exemple..fr")]
    public void MalformedEmailsAreRefusedInFrench(string typed)
    {
        var errors = new FieldErrors();

        FieldRules.Email(errors, "email", typed);

        Assert.Contains("n'est pas valide", Assert.Single(errors.ToDictionary()["email"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("06 12 34 56 78", "+33612345678")]
    [InlineData("06.12.34.56.78", "+33612345678")]
    [InlineData("+33 6 12 34 56 78", "+33612345678")]
    [InlineData("0033612345678", "+33612345678")]
    [InlineData("02-99-00-00-00", "+33299000000")]
    [InlineData("+262 692 12 34 56", "+262692123456")]
    public void FrenchPhoneNumbersAreNormalisedToTheInternationalForm(string typed, string expected) =>
        Assert.Equal(expected, FieldRules.NormalizePhone(typed));

    [Theory]
    [InlineData("06.12.34.56.78", "06 12 34 56 78")]
    [InlineData("+33 2 99 00 00 00", "02 99 00 00 00")]
    [InlineData("+262 692 12 34 56", "+262692123456")]
    public void AStoredNumberReadsAsAFrenchPersonWritesIt(string typed, string read) =>
        Assert.Equal(read, FieldRules.PhoneForPeople(FieldRules.NormalizePhone(typed)));

    [Theory]
    [InlineData("12345")]
    [InlineData("00 12 34 56 78")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("06 12 34 56 7")]
    [InlineData("téléphone")]
    public void NumbersThatAreNotFrenchAreRefused(string typed) =>
        Assert.Null(FieldRules.NormalizePhone(typed));

    [Fact]
    public void ControlCharactersAreDroppedAndLineBreaksKeptOnlyInLongText()
    {
        Assert.Equal("Bonjour à tous", FieldRules.Clean(" Bonjour\u0000 à\ttous "));
        Assert.Equal("Ligne 1\nLigne 2", FieldRules.Clean("Ligne 1\r\nLigne 2\u0007", multiline: true));
    }

    [Fact]
    public void ARequiredFieldLeftEmptyOrTooLongGetsAFrenchMessage()
    {
        var errors = new FieldErrors();

        FieldRules.Required(errors, "name", "   ", 10, "Le nom");
        FieldRules.Required(errors, "message", new string('a', 11), 10, "Le message");

        var messages = errors.ToDictionary();
        Assert.Equal("Le nom est obligatoire.", Assert.Single(messages["name"]));
        Assert.Contains("ne peut pas dépasser 10 caractères", Assert.Single(messages["message"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Orientation étudiant", "orientation-etudiant")]
    [InlineData("ADHÉSION", "adhesion")]
    [InlineData("entreprise ESUS", "entreprise-esus")]
    public void ChoicesAreMatchedWithoutCaseOrAccents(string typed, string code) =>
        Assert.Equal(code, FieldRules.ChoiceKey(typed));
}
