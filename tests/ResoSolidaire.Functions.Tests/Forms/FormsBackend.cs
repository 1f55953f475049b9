using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Forms;

/// <summary>
/// One backend (Azurite, mail sink, local host with the real worker) for the forms' end-to-end tests.
/// Tests share it but not their data: each posts from its own client address with its own email address.
/// </summary>
public sealed class FormsBackend : IAsyncLifetime
{
    public const int RateLimitPermits = 4;

    public Backend Backend { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backend = await Backend.StartAsync(new BackendOptions
        {
            Settings =
            {
                ["Forms__RateLimitPermits"] = RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // The tests play the site's front end: the X-Forwarded-For entry each one sends, left of the
                // address the local host appends, is its client (two trusted hops).
                ["Forms__TrustedProxyHops"] = "2",
                ["Forms__ThankYouUrl"] = "http://localhost:8080/merci.html",
                ["Forms__AllowedRedirectOrigins"] = "http://localhost:8080,http://127.0.0.1:8080",
            },
        });

        // The first posts of a fresh worker pay for JIT and for loading the communes: not the tests' concern.
        using var warmUp = NewClient();
        using var contact = await warmUp.PostAsync("api/contact", Json("{}"));
        using var porteurs = await warmUp.PostAsync("api/porteurs", Json("{}"));
    }

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    /// <summary>A client of its own: an X-Forwarded-For entry the backend trusts (two hops).</summary>
    public HttpClient NewClient(string? accept = "application/json")
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = Backend.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        if (accept is not null)
        {
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return client;
    }

    public static string NewEmail() => $"test-{Guid.NewGuid():N}@exemple.fr";

    public async Task<List<TableEntity>> RowsWithEmailAsync(string table, string email)
    {
        var rows = new List<TableEntity>();
        var client = Backend.Table(table);
        await client.CreateIfNotExistsAsync();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Email eq {email}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

[CollectionDefinition(Name)]
public sealed class FormsBackendGroup : ICollectionFixture<FormsBackend>
{
    public const string Name = "Forms backend";
}
