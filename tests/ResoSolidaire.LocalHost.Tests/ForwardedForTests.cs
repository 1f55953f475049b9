using System.Net.Http.Json;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Tests;

/// <summary>
/// The host appends the address the caller really connected from to X-Forwarded-For, as a front end
/// does. The worker's ASP.NET Core integration (ForwardedHeaders, one hop, loopback trusted) then moves
/// that last entry into the connection's address and keeps what came before it in the header.
/// </summary>
[Collection(SharedHostGroup.Name)]
public sealed class ForwardedForTests(SharedHostFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    private async Task<JsonElement> SeenByTheWorkerAsync(string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/forwarded-for");
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using var response = await _client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Entries(JsonElement seen) =>
        seen.GetProperty("forwardedFor").GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task TheCallersHeaderIsKeptAndTheRealPeerIsAppendedAfterIt()
    {
        var seen = await SeenByTheWorkerAsync("203.0.113.9, 198.51.100.4");

        Assert.Equal(["203.0.113.9", "198.51.100.4"], Entries(seen));
        Assert.Equal("127.0.0.1", seen.GetProperty("remote").GetString());
        Assert.False(string.IsNullOrEmpty(seen.GetProperty("originalFor").GetString()));
    }

    [Fact]
    public async Task WithoutAHeaderTheRealPeerIsTheOnlyEntry()
    {
        var seen = await SeenByTheWorkerAsync(null);

        Assert.Empty(Entries(seen));
        Assert.Equal("127.0.0.1", seen.GetProperty("remote").GetString());
        Assert.False(string.IsNullOrEmpty(seen.GetProperty("originalFor").GetString()));
    }

    [Fact]
    public async Task AnInventedPeerAddressCannotTakeThePlaceOfTheRealOne()
    {
        var seen = await SeenByTheWorkerAsync("127.0.0.2");

        Assert.Equal(["127.0.0.2"], Entries(seen));
        Assert.Equal("127.0.0.1", seen.GetProperty("remote").GetString());
    }
}
