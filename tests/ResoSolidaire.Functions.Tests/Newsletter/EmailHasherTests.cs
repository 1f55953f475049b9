using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Privacy;

namespace ResoSolidaire.Functions.Tests.Newsletter;

public sealed class EmailHasherTests
{
    private static EmailHasher With(string key) => new(Options.Create(new PrivacyOptions { EmailHashKey = key }));

    [Fact]
    public void TheKeyIsAnHmacOfTheNormalisedAddressNotItsPlainSha256()
    {
        var key = new string('k', 32);
        var hash = With(key).Hash("  Personne@Exemple.FR ");

        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "personne@exemple.fr"u8)), hash);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData("personne@exemple.fr"u8)), hash);
        Assert.Equal(hash, With(key).Hash("personne@exemple.fr"));
    }

    [Fact]
    public void AnotherSecretGivesAnotherKey() =>
        Assert.NotEqual(With(new string('a', 32)).Hash("personne@exemple.fr"), With(new string('b', 32)).Hash("personne@exemple.fr"));

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public void AMissingOrShortSecretIsRefused(string? key)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new PrivacyOptions { EmailHashKey = key! };

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains("Privacy:EmailHashKey", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }
}
