using ResoSolidaire.Functions.Kernel;

namespace ResoSolidaire.Functions.Tests.Kernel;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("  Ann@Exemple.FR ", "Ann@exemple.fr")]
    [InlineData("ann+lettre@exemple.fr", "ann+lettre@exemple.fr")]
    [InlineData("ann@élan.fr", "ann@xn--lan-9la.fr")]
    [InlineData("ann@ÉLAN.FR", "ann@xn--lan-9la.fr")]
    [InlineData("ann@xn--lan-9la.fr", "ann@xn--lan-9la.fr")]
    [InlineData("contact@élan-solidaire.fr", "contact@xn--lan-solidaire-9gb.fr")]
    public void TheDomainIsNormalisedAndTheLocalPartKeptAsWritten(string typed, string stored) =>
        Assert.Equal(stored, EmailAddress.Parse(typed).Value);

    [Fact]
    public void AUnicodeDomainAndItsPunycodeAreOneAddress() =>
        Assert.Equal(EmailAddress.Parse("ann@élan.fr"), EmailAddress.Parse("ann@xn--lan-9la.fr"));

    [Fact]
    public void TheLocalPartIsComparedWithoutCase()
    {
        Assert.Equal(EmailAddress.Parse("ann@exemple.fr"), EmailAddress.Parse("Ann@Exemple.FR"));
        Assert.Equal("ann@exemple.fr", EmailAddress.Parse("Ann@Exemple.FR").Key);
    }

    [Theory]
    [InlineData("joann@exemple.fr")]
    [InlineData("ann+lettre@exemple.fr")]
    [InlineData("ann@exemple.com")]
    [InlineData("ann@sous.exemple.fr")]
    public void AnAddressThatMerelyContainsAnotherIsAnotherAddress(string other) =>
        Assert.NotEqual(EmailAddress.Parse("ann@exemple.fr"), EmailAddress.Parse(other));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ann")]
    [InlineData("ann@")]
    [InlineData("@exemple.fr")]
    [InlineData("ann@exemple")]
    [InlineData("a nn@exemple.fr")]
    [InlineData("ann@@exemple.fr")]
    [InlineData("ann@exemple..fr")]
    [InlineData("Ann <ann@exemple.fr>")]
    [InlineData("ann@exemple.fr, joann@exemple.fr")]
    [InlineData("ann;joann@exemple.fr")]
    public void WhatIsNotOneAddressDoesNotParse(string text) =>
        Assert.False(EmailAddress.TryParse(text, out _));

    [Fact]
    public void AnOverlongAddressDoesNotParse() =>
        Assert.False(EmailAddress.TryParse(new string('a', 65) + "@exemple.fr", out _));
}
