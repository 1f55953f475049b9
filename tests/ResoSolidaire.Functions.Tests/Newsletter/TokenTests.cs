using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Platform.Tokens;

namespace ResoSolidaire.Functions.Tests.Newsletter;

public class TokenTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 });

    private static SignedTokens Tokens(TimeProvider time, string? key = null) =>
        new(Options.Create(new TokenOptions { SigningKey = key ?? Key }), time);

    [Fact]
    public void AFreshTokenGivesBackItsSubject()
    {
        var tokens = Tokens(new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));

        var check = tokens.Verify("unsubscribe", tokens.Issue("unsubscribe", "abc123", TimeSpan.FromDays(1)));

        Assert.Equal(TokenStatus.Valid, check.Status);
        Assert.Equal("abc123", check.Subject);
    }

    [Fact]
    public void ATokenPastItsLifetimeIsExpired()
    {
        var time = new FakeTimeProvider();
        var tokens = Tokens(time);
        var token = tokens.Issue("confirm", "abc", TimeSpan.FromHours(1));

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(new TokenCheck(TokenStatus.Expired, null), tokens.Verify("confirm", token));
    }

    [Fact]
    public void ATokenMadeForAnotherPurposeIsInvalid()
    {
        var tokens = Tokens(new FakeTimeProvider());

        var check = tokens.Verify("unsubscribe", tokens.Issue("preferences", "abc", TimeSpan.FromDays(1)));

        Assert.Equal(TokenStatus.Invalid, check.Status);
        Assert.Null(check.Subject);
    }

    [Fact]
    public void ATokenSignedWithAnotherKeyIsInvalid()
    {
        var time = new FakeTimeProvider();
        var forged = Tokens(time, Convert.ToBase64String(new byte[32])).Issue("unsubscribe", "abc", TimeSpan.FromDays(1));

        Assert.Equal(TokenStatus.Invalid, Tokens(time).Verify("unsubscribe", forged).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("abc.")]
    [InlineData(".abc")]
    [InlineData("!!!.???")]
    public void AMalformedTokenIsInvalid(string? token) =>
        Assert.Equal(TokenStatus.Invalid, Tokens(new FakeTimeProvider()).Verify("unsubscribe", token).Status);

    [Fact]
    public void ChangingTheSubjectOfATokenBreaksItsSignature()
    {
        var tokens = Tokens(new FakeTimeProvider());
        var token = tokens.Issue("unsubscribe", "victim-a", TimeSpan.FromDays(1));
        var other = tokens.Issue("unsubscribe", "victim-b", TimeSpan.FromDays(1));
        var spliced = other.Split('.')[0] + "." + token.Split('.')[1];

        Assert.Equal(TokenStatus.Invalid, tokens.Verify("unsubscribe", spliced).Status);
    }

    [Fact]
    public void AKeyShorterThan32BytesIsRefusedAtStart()
    {
        var options = new TokenOptions { SigningKey = Convert.ToBase64String(new byte[16]) };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains("Tokens:SigningKey", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
    }
}
