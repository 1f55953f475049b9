using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using ResoSolidaire.Functions.Platform.Forms;

namespace ResoSolidaire.Functions.Tests.Forms;

/// <summary>Which X-Forwarded-For entry is the client, counted in hops from the right.</summary>
public sealed class ClientIdentityTests
{
    private static readonly IPAddress Connection = IPAddress.Parse("10.0.0.9");

    private static readonly string[] ForgedPrefixes = ["", "192.0.2.1, ", "192.0.2.2, 198.51.100.9, "];

    private static string Client(string? header, int hops = 1) =>
        ClientIdentity.ClientAddress(header is null ? StringValues.Empty : new StringValues(header), Connection, hops);

    [Theory]
    [InlineData("203.0.113.7", 1, "203.0.113.7")]
    [InlineData("198.51.100.1, 203.0.113.7", 1, "203.0.113.7")]
    [InlineData("198.51.100.1, 203.0.113.7", 2, "198.51.100.1")]
    [InlineData("invented-by-caller, 198.51.100.1,203.0.113.7", 2, "198.51.100.1")]
    [InlineData("203.0.113.7:54321", 1, "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", 1, "203.0.113.7")]
    public void TheEntryThatManyHopsFromTheRightIsTheClient(string header, int hops, string expected) =>
        Assert.Equal(expected, Client(header, hops));

    [Theory]
    [InlineData("2001:db8:1:2::1")]
    [InlineData("[2001:db8:1:2::1]")]
    [InlineData("[2001:db8:1:2::1]:443")]
    [InlineData("[2001:DB8:1:2:aaaa:bbbb:cccc:dddd]:8080")]
    public void AnIpv6ClientIsItsSlash64WithOrWithoutBracketsAndPort(string entry) =>
        Assert.Equal("2001:db8:1:2::/64", Client("198.51.100.1, " + entry));

    [Fact]
    public void AHeaderShorterThanTheTrustedHopsFallsBackToTheConnection()
    {
        Assert.Equal("10.0.0.9", Client("203.0.113.7", hops: 2));
        Assert.Equal("10.0.0.9", Client(null));
        Assert.Equal("10.0.0.9", Client(""));
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("203.0.113.300")]
    [InlineData("1.2.3.4.5")]
    [InlineData("[2001:db8::1")]
    [InlineData("203.0.113.7:99999")]
    [InlineData("198.51.100.1, ")]
    [InlineData("<script>alert(1)</script>")]
    public void AnEntryThatIsNotAnAddressFallsBackToTheConnection(string header) =>
        Assert.Equal("10.0.0.9", Client(header));

    [Fact]
    public void AnOverlongEntryFallsBackToTheConnection() =>
        Assert.Equal("10.0.0.9", Client("2001:db8::1%" + new string('a', 120)));

    [Fact]
    public void SeveralHeaderLinesAreOneListInOrder() =>
        Assert.Equal("203.0.113.7", ClientIdentity.ClientAddress(new StringValues(["198.51.100.1", "203.0.113.7"]), Connection, 1));

    [Fact]
    public void WithoutAConnectionAddressTheClientIsUnknown() =>
        Assert.Equal("unknown", ClientIdentity.ClientAddress(StringValues.Empty, null, 1));

    [Fact]
    public void WhatACallerPutsLeftOfTheTrustedEntriesDoesNotChangeTheIdentity()
    {
        var identity = new ClientIdentity(Options.Create(new FormsOptions { ClientHashKey = new string('k', 32), TrustedProxyHops = 1 }));

        var hashes = ForgedPrefixes
            .Select(forged => identity.Of(Request(forged + "203.0.113.7")))
            .Distinct()
            .ToList();

        Assert.Single(hashes);
        Assert.DoesNotContain("203.0.113.7", hashes[0], StringComparison.Ordinal);
        Assert.NotEqual(hashes[0], identity.Of(Request("203.0.113.8")));
    }

    private static HttpRequest Request(string forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        return context.Request;
    }
}
