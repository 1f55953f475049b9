using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Tests;

/// <summary>
/// The request body limit. Azure/azure-functions-host v4: Program.cs sets Kestrel's MaxRequestBodySize to
/// ScriptConstants.DefaultMaxRequestBodySize (104,857,600 bytes), and Middleware/HttpRequestBodySizeMiddleware.cs
/// replaces it with FUNCTIONS_REQUEST_BODY_SIZE_LIMIT when that setting is a number; Kestrel refuses a larger body
/// with 413 (its own test: HttpRequestBodySizeMiddlewareTests).
/// </summary>
public sealed class BodyLimitTests(BodyLimitTests.SmallLimitHost fixture) : IClassFixture<BodyLimitTests.SmallLimitHost>
{
    private const int Limit = 4_096;

    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task ABodyAtTheConfiguredLimitReachesTheFunction()
    {
        using var content = new StringContent(new string('a', Limit), Encoding.ASCII, "text/plain");

        using var response = await _client.PostAsync(new Uri("api/items", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Limit, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("length").GetInt32());
    }

    [Fact]
    public async Task ABodyOneByteOverTheConfiguredLimitIsTooLarge()
    {
        using var content = new StringContent(new string('a', Limit + 1), Encoding.ASCII, "text/plain");

        using var response = await _client.PostAsync(new Uri("api/items", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    // A streamed body has no Content-Length to refuse up front: Kestrel cuts it at the limit while it is being
    // forwarded. The caller hears 413, not the 503 of a worker that went away (a 503 invites a retry).
    [Fact]
    public async Task AStreamedBodyOverTheLimitIsTooLargeNotWorkerUnavailable()
    {
        using var content = new StreamContent(new UnseekableStream(new byte[Limit * 4]));
        content.Headers.ContentType = new("text/plain");

        using var response = await _client.PostAsync(new Uri("api/items", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task AStreamedBodyOverTheLimitToTheAdminApiIsTooLarge()
    {
        var json = Encoding.UTF8.GetBytes($"{{\"input\":\"{new string('a', Limit * 2)}\"}}");
        using var content = new StreamContent(new UnseekableStream(json));
        content.Headers.ContentType = new("application/json");

        using var response = await _client.SendAsync(TestApp.Request(HttpMethod.Post, "admin/functions/TestTimer", TestApp.MasterKey, content));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>A host whose FUNCTIONS_REQUEST_BODY_SIZE_LIMIT is 4 KiB.</summary>
    public sealed class SmallLimitHost : IAsyncLifetime
    {
        public FunctionsHost Host { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await TestApp.StartAsync(
                TestApp.WriteSettings(TestApp.NewTempDirectory()),
                overrides: new Dictionary<string, string?> { ["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            Client = TestApp.ClientFor(Host);
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }

    /// <summary>A stream HttpClient cannot measure, so it sends the body chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>The default limit, on the shared host (no FUNCTIONS_REQUEST_BODY_SIZE_LIMIT).</summary>
[Collection(SharedHostGroup.Name)]
public sealed class DefaultBodyLimitTests(SharedHostFixture fixture)
{
    // Azure/azure-functions-host v4, ScriptConstants.DefaultMaxRequestBodySize = 104857600, set on Kestrel in
    // Program.cs. The request announces one byte more and sends none of it: the answer comes before the body.
    [Fact]
    public async Task ARequestAnnouncingOneByteOverOneHundredMebibytesIsTooLarge()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.Host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = "POST /api/items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 104857601\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 413 ", statusLine, StringComparison.Ordinal);
    }
}
