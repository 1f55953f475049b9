using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Kernel;

namespace ResoSolidaire.Functions.Tests.Kernel;

public sealed class EmailHasherTests
{
    private static EmailHasher With(string key) => new(Options.Create(new EmailHashOptions { EmailHashKey = key }));

    [Fact]
    public void TheKeyIsAnHmacOfTheComparisonFormNotItsPlainSha256()
    {
        var key = new string('k', 32);
        var hash = With(key).Hash(EmailAddress.Parse("  Personne@Exemple.FR "));

        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "personne@exemple.fr"u8)), hash);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData("personne@exemple.fr"u8)), hash);
        Assert.Equal(hash, With(key).Hash(EmailAddress.Parse("personne@exemple.fr")));
    }

    [Fact]
    public void AUnicodeDomainAndItsPunycodeHashAlike()
    {
        var hasher = With(new string('k', 32));

        Assert.Equal(hasher.Hash(EmailAddress.Parse("ann@élan.fr")), hasher.Hash(EmailAddress.Parse("ann@xn--lan-9la.fr")));
        Assert.Equal(hasher.Hash(EmailAddress.Parse("ann@élan.fr")), hasher.HashOrNull("Ann@ÉLAN.fr"));
    }

    [Fact]
    public void OverlappingAndTaggedAddressesHashApart()
    {
        var hasher = With(new string('k', 32));
        var ann = hasher.Hash(EmailAddress.Parse("ann@exemple.fr"));

        Assert.NotEqual(ann, hasher.Hash(EmailAddress.Parse("joann@exemple.fr")));
        Assert.NotEqual(ann, hasher.Hash(EmailAddress.Parse("ann+lettre@exemple.fr")));
        Assert.Null(hasher.HashOrNull("ann"));
    }

    [Fact]
    public void AnotherSecretGivesAnotherKey() =>
        Assert.NotEqual(With(new string('a', 32)).Hash(EmailAddress.Parse("personne@exemple.fr")), With(new string('b', 32)).Hash(EmailAddress.Parse("personne@exemple.fr")));

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public void AMissingOrShortSecretIsRefused(string? key)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new EmailHashOptions { EmailHashKey = key! };

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains("Privacy:EmailHashKey", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }
}
