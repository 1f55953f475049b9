using System.Net;
using System.Net.Http.Json;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Testing;
using static ResoSolidaire.Functions.Tests.Newsletter.NewsletterBackend;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>One backend for the spotlight tests; each test creates the actors it puts forward.</summary>
public sealed class SpotlightBackend : IAsyncLifetime
{
    public Backend Backend { get; private set; } = null!;

    public async Task InitializeAsync() => Backend = await StartAsync();

    public async Task DisposeAsync() => await Backend.DisposeAsync();
}

/// <summary>Spotlit structures come from the directory, through the host and the real worker.</summary>
public sealed class SpotlightTests(SpotlightBackend fixture) : IClassFixture<SpotlightBackend>
{
    private const string Editions = "api/staff/newsletter/editions";
    private const string Actors = "api/staff/directory/actors";
    private readonly Backend _backend = fixture.Backend;

    private async Task<(string Id, string ETag, Dictionary<string, object?> Body)> ActorAsync(string name)
    {
        var body = ActorBodies.Valid(StaffBackend.UniqueTag(), name);
        using var response = await _backend.StaffClient.PostAsJsonAsync(Actors, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.JsonAsync())["id"]!.GetValue<string>(), response.Headers.ETag!.ToString(), body);
    }

    private static object Edition(string subject, object[] spotlight, string? sendDate = null) =>
        new { subject, intro = "Bonjour.", spotlight, sendDate };

    [Fact]
    public async Task AnEditionShowsItsSpotlitActorAsTheDirectoryDescribesIt()
    {
        var (actorId, _, _) = await ActorAsync("Les Vélos <Solidaires> & Cie");
        using var created = await _backend.StaffClient.PostAsJsonAsync(Editions, Edition("Lettre à la une", [new { actorId }]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var edition = await created.JsonAsync();
        Assert.Equal(actorId, edition["spotlight"]![0]!["actorId"]!.GetValue<string>());

        var html = await _backend.StaffClient.GetStringAsync($"{Editions}/{edition["id"]}/preview");
        var text = await _backend.StaffClient.GetStringAsync($"{Editions}/{edition["id"]}/preview?format=text");

        Assert.Contains("Les Vélos &lt;Solidaires&gt; &amp; Cie", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Solidaires>", html, StringComparison.Ordinal);
        Assert.Contains("Association à Rennes", html, StringComparison.Ordinal);
        Assert.Contains("culture, loisirs", html, StringComparison.Ordinal);
        Assert.Contains("https://asso.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Rencontrée au forum", html, StringComparison.Ordinal); // staff notes stay in the directory
        Assert.Contains("* Les Vélos <Solidaires> & Cie (Association à Rennes)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffWordsReplaceTheDirectoryDescription()
    {
        var (actorId, _, _) = await ActorAsync("La Recyclerie du Blosne");
        using var created = await _backend.StaffClient.PostAsJsonAsync(Editions, Edition("Lettre", [new { actorId, text = "Ouverte **tous les samedis**." }]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var html = await _backend.StaffClient.GetStringAsync($"{Editions}/{(await created.JsonAsync())["id"]}/preview");

        Assert.Contains("Ouverte <strong>tous les samedis</strong>.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("culture, loisirs", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownActorIsAValidationProblemInFrench()
    {
        var (known, _, _) = await ActorAsync("Une structure connue");

        using var response = await _backend.StaffClient.PostAsJsonAsync(Editions, Edition("Lettre", [new { actorId = known }, new { actorId = "0123456789abcdef" }]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("Aucune structure de l'annuaire n'a l'identifiant « 0123456789abcdef ».", Assert.Single(problem.FieldErrors("spotlight[1].actorId")));
        Assert.False(problem["errors"]!.AsObject().ContainsKey("spotlight[0].actorId"));
    }

    [Fact]
    public async Task AHandTypedStructureIsRefused()
    {
        using var response = await _backend.StaffClient.PostAsJsonAsync(Editions, Edition("Lettre", [new { name = "Saisie à la main", description = "Texte." }]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("Propriété inconnue. Propriétés attendues ici : actorId, text.", Assert.Single(problem.FieldErrors("spotlight[0].name")));
        Assert.StartsWith("Propriété inconnue.", Assert.Single(problem.FieldErrors("spotlight[0].description")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASentEditionKeepsItsSpotlightAsItWasSentWhenTheActorChanges()
    {
        var (actorId, etag, body) = await ActorAsync("L'Atelier d'avant");
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var created = await _backend.StaffClient.PostAsJsonAsync(Editions, Edition("Lettre envoyée", [new { actorId }], yesterday));
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        using var approved = await _backend.StaffClient.PostAsync($"{Editions}/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await RunUntilSentAsync(_backend, id);

        using var rename = new HttpRequestMessage(HttpMethod.Put, $"{Actors}/{actorId}") { Content = JsonContent.Create(body.With("name", "L'Atelier d'après")) }.WithIfMatch(etag);
        using var renamed = await _backend.StaffClient.SendAsync(rename);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);

        var preview = await _backend.StaffClient.GetStringAsync($"{Editions}/{id}/preview");
        var archived = await _backend.Client.GetStringAsync($"api/newsletter/archive/{id}");
        var edition = await EditionAsync(_backend, id);
        Assert.Contains("L&#x27;Atelier d&#x27;avant", preview, StringComparison.Ordinal);
        Assert.Contains("L&#x27;Atelier d&#x27;avant", archived, StringComparison.Ordinal);
        Assert.DoesNotContain("après", preview, StringComparison.Ordinal);
        Assert.Equal("L'Atelier d'avant", edition["spotlightAsSent"]![0]!["name"]!.GetValue<string>());
    }
}
