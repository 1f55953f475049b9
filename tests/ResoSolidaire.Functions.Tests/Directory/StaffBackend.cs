using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Directory;

/// <summary>
/// One backend (Azurite, mail sink, local host running the real app) per test class: starting one takes
/// seconds. Tests stay independent by creating their own data, named with a tag of their own, and never
/// asserting on data they did not create.
/// </summary>
public sealed class StaffBackend : IAsyncLifetime
{
    public Backend Backend { get; private set; } = null!;

    // Visitors posting forms are clients of their own: the tests play the front end, two trusted hops.
    public async Task InitializeAsync() => Backend = await Backend.StartAsync(new BackendOptions { Settings = { ["Forms__TrustedProxyHops"] = "2" } });

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    public static string UniqueTag() => "t" + Guid.NewGuid().ToString("N")[..10];
}

/// <summary>Small helpers to read problem documents and JSON bodies in assertions.</summary>
public static class Http
{
    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The French messages of a validation problem for one field.</summary>
    public static IReadOnlyList<string> FieldErrors(this JsonObject problem, string field)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field), $"No error for '{field}' in {problem.ToJsonString()}");
        return errors![field]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
    }

    public static HttpRequestMessage WithIfMatch(this HttpRequestMessage request, string? etag)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return request;
    }

    public static ByteArrayContent CsvContent(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }
}
