using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Forms;

/// <summary>A backend with the settings of local.settings.sample.json (one trusted hop: the local host, as the front end in Azure).</summary>
public sealed class SampleSettingsBackend : IAsyncLifetime
{
    public Backend Backend { get; private set; } = null!;

    public async Task InitializeAsync() => Backend = await Backend.StartAsync(new BackendOptions
    {
        Settings = { ["Tokens__SigningKey"] = Newsletter.NewsletterBackend.SigningKey },
    });

    public async Task DisposeAsync() => await Backend.DisposeAsync();
}

/// <summary>
/// A caller who invents a new X-Forwarded-For for every post, through the local host and the real worker:
/// the host appends the address it really sees, and that is the client the budgets count.
/// </summary>
public sealed class ForgedForwardedForTests(SampleSettingsBackend fixture) : IClassFixture<SampleSettingsBackend>
{
    private const int AcceptedPermits = 5;

    private static int _forged;

    private readonly Backend _backend = fixture.Backend;

    private static string Forged() =>
        string.Create(CultureInfo.InvariantCulture, $"198.51.{Interlocked.Increment(ref _forged) % 250}.{Random.Shared.Next(1, 255)}");

    private async Task<List<HttpStatusCode>> PostWithANewForgedHeaderEachTimeAsync(string path, Func<int, object> body, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var client = _backend.CreateClient(null);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", Forged());
            using var response = await client.PostAsJsonAsync(path, body(i));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
                var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.Matches("Merci de réessayer dans (une minute|[0-9]+ minutes)\\.", problem["detail"]!.GetValue<string>());
            }
        }

        return statuses;
    }

    [Fact]
    public async Task AForgedHeaderOnEachContactPostDoesNotEscapeTheLimit()
    {
        var statuses = await PostWithANewForgedHeaderEachTimeAsync(
            "api/contact",
            i => new { name = "Camille Martin", email = $"contact-{Guid.NewGuid():N}@exemple.fr", topic = "information", message = $"Bonjour, voici mon message numéro {i}.", consent = true },
            AcceptedPermits + 2);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Created, AcceptedPermits), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task AForgedHeaderOnEachSubscriptionDoesNotEscapeTheLimit()
    {
        var statuses = await PostWithANewForgedHeaderEachTimeAsync(
            "api/newsletter/subscriptions",
            _ => new { email = $"lecteur-{Guid.NewGuid():N}@exemple.fr", consent = true },
            AcceptedPermits + 1);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, AcceptedPermits), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task AForgedHeaderOnEachAgendaProposalDoesNotEscapeTheLimit()
    {
        var statuses = await PostWithANewForgedHeaderEachTimeAsync(
            "api/agenda/events",
            i => new
            {
                title = $"Rencontre de l'ESS n° {i}",
                startDate = DateTimeOffset.UtcNow.AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                place = "Le Tambour",
                commune = "Rennes",
                description = "Une soirée de rencontre entre structures de l'ESS.",
                organiser = "Les Vélos Solidaires",
                contactName = "Camille Martin",
                contactEmail = $"agenda-{Guid.NewGuid():N}@exemple.fr",
                consent = true,
            },
            AcceptedPermits + 1);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, AcceptedPermits), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task AForgedHeaderOnEachRefusedPostDoesNotEscapeTheRefusedBudget()
    {
        // The porteurs form, so that the other tests' budgets are not touched: 30 refused posts per 10 minutes.
        var statuses = await PostWithANewForgedHeaderEachTimeAsync("api/porteurs", _ => new { firstName = "" }, 31);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, 30), HttpStatusCode.TooManyRequests], statuses);
    }
}
