using ResoSolidaire.Functions.Platform.Storage;

namespace ResoSolidaire.Functions.Tests.Platform;

public class KeySafeTests
{
    [Theory]
    [InlineData("a/b", "a~2Fb")]
    [InlineData("a\\b#c?d", "a~5Cb~23c~3Fd")]
    [InlineData("tab\there", "tab~09here")]
    [InlineData("tilde~", "tilde~7E")]
    [InlineData("plain-key_1", "plain-key_1")]
    public void CharactersForbiddenInTableKeysAreEscaped(string raw, string expected) =>
        Assert.Equal(expected, KeySafe.Encode(raw));

    [Fact]
    public void DifferentInputsNeverShareAKey() =>
        Assert.NotEqual(KeySafe.Encode("a/b"), KeySafe.Encode("a~2Fb"));
}
