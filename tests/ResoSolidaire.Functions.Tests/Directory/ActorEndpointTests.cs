using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Directory;

/// <summary>The directory's actor endpoints, through the real function app, against Azurite.</summary>
public sealed class ActorEndpointTests(StaffBackend fixture) : IClassFixture<StaffBackend>
{
    private const string Actors = "api/staff/directory/actors";
    private readonly HttpClient _staff = fixture.Backend.StaffClient;

    private async Task<(JsonObject Actor, string ETag)> CreateAsync(Dictionary<string, object?> body)
    {
        using var response = await _staff.PostAsJsonAsync(Actors, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync(), response.Headers.ETag!.ToString());
    }

    private async Task<JsonObject> ListAsync(string query)
    {
        using var response = await _staff.GetAsync($"{Actors}?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static List<string> Names(JsonObject page) =>
        page["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task AnActorIsCreatedWithItsEpciDerivedAndItsAuthorRecorded()
    {
        var tag = StaffBackend.UniqueTag();

        var (actor, etag) = await CreateAsync(ActorBodies.Valid(tag));

        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal($"Association Élan {tag}", actor["name"]!.GetValue<string>());
        Assert.Equal("Rennes", actor["commune"]!.GetValue<string>());
        Assert.Equal("243500139", actor["epci"]!.GetValue<string>());
        Assert.Equal("Rennes Métropole", actor["epciName"]!.GetValue<string>());
        Assert.Equal("Le Blosne", actor["quartierName"]!.GetValue<string>());
        Assert.Equal(Backend.AdministrationName, actor["createdBy"]!.GetValue<string>());
        Assert.Equal(Backend.AdministrationName, actor["updatedBy"]!.GetValue<string>());
        Assert.Null(actor["partitionKey"]);
        Assert.Null(actor["eTag"]);

        using var read = await _staff.GetAsync($"{Actors}/{actor["id"]}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(etag, read.Headers.ETag!.ToString());
        Assert.Equal(actor["siret"]!.GetValue<string>(), (await read.JsonAsync())["siret"]!.GetValue<string>());
    }

    [Fact]
    public async Task APersonAskedForTheNewsletterWithoutAConsentIsRefusedInFrenchAndNothingIsStored()
    {
        var tag = StaffBackend.UniqueTag();
        var person = ActorBodies.Valid(tag, $"Camille {tag}").With("kind", "individu").With("siret", null);

        using var response = await _staff.PostAsJsonAsync(Actors, person);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains("consentement", Assert.Single(problem.FieldErrors("newsletter")), StringComparison.Ordinal);
        Assert.Empty(Names(await ListAsync($"tag={tag}")));
    }

    [Fact]
    public async Task APersonIsOptedOutUntilStaffRecordTheirConsentAndThenReceivesTheNewsletter()
    {
        var tag = StaffBackend.UniqueTag();
        var person = ActorBodies.Valid(tag, $"Camille {tag}").With("kind", "individu").With("siret", null).With("newsletter", null);

        var (created, etag) = await CreateAsync(person);
        Assert.False(created["newsletter"]!.GetValue<bool>());
        Assert.Null(created["consent"]);

        var consent = new Dictionary<string, object?> { ["date"] = "2026-03-14", ["source"] = "bulletin papier, AG 2026", ["textVersion"] = "2026-01" };
        using var put = new HttpRequestMessage(HttpMethod.Put, $"{Actors}/{created["id"]}") { Content = JsonContent.Create(person.With("consent", consent)) }.WithIfMatch(etag);
        using var replaced = await _staff.SendAsync(put);

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var actor = await replaced.JsonAsync();
        Assert.True(actor["newsletter"]!.GetValue<bool>());
        Assert.Equal("2026-03-14", actor["consent"]!["date"]!.GetValue<string>());
        Assert.Equal("bulletin papier, AG 2026", actor["consent"]!["source"]!.GetValue<string>());
        Assert.Equal("2026-01", actor["consent"]!["textVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnIncompleteConsentNamesEachMissingPartInFrench()
    {
        var tag = StaffBackend.UniqueTag();
        var person = ActorBodies.Valid(tag, $"Loïc {tag}").With("kind", "etudiant").With("siret", null)
            .With("consent", new Dictionary<string, object?> { ["date"] = "14 mars" });

        using var response = await _staff.PostAsJsonAsync(Actors, person);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains("AAAA-MM-JJ", Assert.Single(problem.FieldErrors("consent.date")), StringComparison.Ordinal);
        Assert.Contains("source", Assert.Single(problem.FieldErrors("consent.source")), StringComparison.Ordinal);
        Assert.Contains("version", Assert.Single(problem.FieldErrors("consent.textVersion")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStructureStaysOptOutWithoutAConsent()
    {
        var (actor, _) = await CreateAsync(ActorBodies.Valid(StaffBackend.UniqueTag()).With("newsletter", null));

        Assert.True(actor["newsletter"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ASiretWithAWrongLuhnKeyIsRefusedInFrench()
    {
        using var response = await _staff.PostAsJsonAsync(Actors, ActorBodies.Valid(StaffBackend.UniqueTag()).With("siret", Sirets.WithWrongKey()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains("clé de contrôle", Assert.Single(problem.FieldErrors("siret")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFieldsAreEachNamedInTheValidationProblem()
    {
        var body = ActorBodies.Valid(StaffBackend.UniqueTag())
            .With("name", " ")
            .With("kind", "club")
            .With("sectors", new List<string> { "armement" })
            .With("communeInsee", "99999")
            .With("emails", new List<string> { "pas-une-adresse" })
            .With("siret", "1234");

        using var response = await _staff.PostAsJsonAsync(Actors, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains("obligatoire", problem.FieldErrors("name")[0], StringComparison.Ordinal);
        Assert.Contains("inconnu", problem.FieldErrors("kind")[0], StringComparison.Ordinal);
        Assert.Contains("Secteur inconnu", problem.FieldErrors("sectors[0]")[0], StringComparison.Ordinal);
        Assert.Contains("INSEE", problem.FieldErrors("communeInsee")[0], StringComparison.Ordinal);
        Assert.Equal(EmailAddress.InvalidMessage, problem.FieldErrors("emails[0]")[0]);
        Assert.Contains("14 chiffres", problem.FieldErrors("siret")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuartierOutsideRennesIsRefused()
    {
        var body = ActorBodies.Valid(StaffBackend.UniqueTag()).With("communeInsee", "35051").With("postalCode", "35510");

        using var response = await _staff.PostAsJsonAsync(Actors, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Rennes", (await response.ProblemAsync()).FieldErrors("quartier")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownJsonPropertyIsRefused()
    {
        var body = ActorBodies.Valid(StaffBackend.UniqueTag()).With("nmae", "faute de frappe");

        using var response = await _staff.PostAsJsonAsync(Actors, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Propriété inconnue.", (await response.ProblemAsync()).FieldErrors("nmae")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondActorWithTheSameSiretIsAConflict()
    {
        var tag = StaffBackend.UniqueTag();
        var (first, _) = await CreateAsync(ActorBodies.Valid(tag));

        using var response = await _staff.PostAsJsonAsync(Actors, ActorBodies.Valid(tag, "Autre nom").With("siret", first["siret"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal(first["id"]!.GetValue<string>(), problem["actorId"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnUpdateWithoutIfMatchIsRefusedWith428()
    {
        var (actor, _) = await CreateAsync(ActorBodies.Valid(StaffBackend.UniqueTag()));

        using var response = await _staff.PutAsJsonAsync($"{Actors}/{actor["id"]}", ActorBodies.Valid("x"));

        Assert.Equal(HttpStatusCode.PreconditionRequired, response.StatusCode);
        Assert.Contains("If-Match", (await response.ProblemAsync())["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUpdateWithTheCurrentETagSucceedsAndAStaleOneIsRefusedWith412()
    {
        var tag = StaffBackend.UniqueTag();
        var body = ActorBodies.Valid(tag);
        var (actor, etag) = await CreateAsync(body);
        var url = $"{Actors}/{actor["id"]}";

        using var first = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body.With("name", $"Nouveau nom {tag}")) }.WithIfMatch(etag);
        using var updated = await _staff.SendAsync(first);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var newETag = updated.Headers.ETag!.ToString();
        Assert.NotEqual(etag, newETag);
        Assert.Equal($"Nouveau nom {tag}", (await updated.JsonAsync())["name"]!.GetValue<string>());

        using var second = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body.With("name", "Écrasement")) }.WithIfMatch(etag);
        using var stale = await _staff.SendAsync(second);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("modifiée", (await stale.ProblemAsync())["title"]!.GetValue<string>(), StringComparison.Ordinal);

        using var read = await _staff.GetAsync(url);
        Assert.Equal($"Nouveau nom {tag}", (await read.JsonAsync())["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task AChangeByAnotherPersonIsAttributedToThemAndTheMasterKeyOpensNoStaffRoute()
    {
        var (actor, etag) = await CreateAsync(ActorBodies.Valid(StaffBackend.UniqueTag()));

        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Actors}/{actor["id"]}") { Content = JsonContent.Create(ActorBodies.Valid("autre")) }.WithIfMatch(etag);
        using var response = await fixture.Backend.TeamClient.SendAsync(request);
        using var master = await fixture.Backend.AdminClient.GetAsync($"{Actors}/{actor["id"]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.JsonAsync();
        Assert.Equal(Backend.AdministrationName, updated["createdBy"]!.GetValue<string>());
        Assert.Equal(Backend.TeamName, updated["updatedBy"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, master.StatusCode);
    }

    [Fact]
    public async Task ADeletedActorIsGone()
    {
        var (actor, etag) = await CreateAsync(ActorBodies.Valid(StaffBackend.UniqueTag()));
        var url = $"{Actors}/{actor["id"]}";

        using var stale = await _staff.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url).WithIfMatch("W/\"datetime'2020-01-01T00%3A00%3A00.0000000Z'\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        using var deleted = await _staff.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url).WithIfMatch(etag));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var read = await _staff.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Contains("introuvable", (await read.ProblemAsync())["title"]!.GetValue<string>(), StringComparison.Ordinal);
        using var again = await _staff.DeleteAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task FiltersCombine()
    {
        var tag = StaffBackend.UniqueTag();
        await CreateAsync(ActorBodies.Valid(tag, $"Rennes culture {tag}"));
        await CreateAsync(ActorBodies.Valid(tag, $"Rennes mobilité {tag}").With("sectors", new List<string> { "mobilite" }));
        await CreateAsync(ActorBodies.Valid(tag, $"Cesson coop {tag}").With("kind", "cooperative").With("communeInsee", "35051").With("quartier", null).With("postalCode", "35510"));
        await CreateAsync(ActorBodies.Valid(tag, $"Liffré désinscrit {tag}").With("communeInsee", "35152").With("quartier", null).With("postalCode", "35340").With("newsletter", false));

        Assert.Equal([$"Rennes culture {tag}"], Names(await ListAsync($"tag={tag}&sector=culture&commune=35238")));
        Assert.Equal([$"Cesson coop {tag}", $"Rennes culture {tag}"], Names(await ListAsync($"tag={tag}&sector=culture&epci=243500139")));
        Assert.Equal([$"Cesson coop {tag}"], Names(await ListAsync($"tag={tag}&kind=Coopérative")));
        Assert.Equal([$"Liffré désinscrit {tag}"], Names(await ListAsync($"tag={tag}&newsletter=false")));
        Assert.Equal([$"Rennes culture {tag}", $"Rennes mobilité {tag}"], Names(await ListAsync($"tag={tag}&quartier=le-blosne&status=association%20LOI%201901")));
        Assert.Equal([$"Liffré désinscrit {tag}"], Names(await ListAsync($"tag={tag}&epci=243500774")));
    }

    [Fact]
    public async Task NameSearchIgnoresAccentsAndCase()
    {
        var tag = StaffBackend.UniqueTag();
        await CreateAsync(ActorBodies.Valid(tag, $"L'Œuvre Sociale de Bréquigny {tag}"));
        await CreateAsync(ActorBodies.Valid(tag, $"Autre structure {tag}"));

        Assert.Equal([$"L'Œuvre Sociale de Bréquigny {tag}"], Names(await ListAsync($"tag={tag}&q=oeuvre%20sociale%20de%20BREQUIGNY")));
        Assert.Equal([$"L'Œuvre Sociale de Bréquigny {tag}"], Names(await ListAsync($"q={Uri.EscapeDataString("bréquigny " + tag.ToUpperInvariant())}")));
    }

    [Fact]
    public async Task PagesFollowEachOtherWithOpaqueContinuationTokens()
    {
        var tag = StaffBackend.UniqueTag();
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var name = $"Structure {i} {tag}";
            expected.Add(name);
            await CreateAsync(ActorBodies.Valid(tag, name).With("siret", null));
        }

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await ListAsync($"tag={tag}&pageSize=3" + (continuation is null ? "" : $"&continuation={Uri.EscapeDataString(continuation)}"));
            var items = Names(page);
            Assert.True(items.Count <= 3);
            seen.AddRange(items);
            continuation = page["continuation"]?.GetValue<string>();
            Assert.False(continuation?.Contains(' ', StringComparison.Ordinal) ?? false);
            pages++;
        }
        while (continuation is not null && pages < 20);

        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.True(pages >= 3);
    }

    [Fact]
    public async Task AForgedContinuationTokenOrABadFilterIsAValidationProblem()
    {
        using var forged = await _staff.GetAsync($"{Actors}?continuation=pas-un-jeton!");
        using var badKind = await _staff.GetAsync($"{Actors}?kind=club&pageSize=0");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.NotEmpty((await forged.ProblemAsync()).FieldErrors("continuation"));
        var problem = await badKind.ProblemAsync();
        Assert.NotEmpty(problem.FieldErrors("kind"));
        Assert.NotEmpty(problem.FieldErrors("pageSize"));
    }

    [Theory]
    [InlineData("GET", Actors)]
    [InlineData("POST", Actors)]
    [InlineData("GET", Actors + "/0123456789abcdef")]
    [InlineData("PUT", Actors + "/0123456789abcdef")]
    [InlineData("DELETE", Actors + "/0123456789abcdef")]
    [InlineData("POST", "api/staff/directory/import")]
    public async Task StaffRoutesRefuseAMissingOrWrongKey(string method, string url)
    {
        using var wrong = fixture.Backend.CreateClient("pas-la-bonne-cle");
        foreach (var client in new[] { fixture.Backend.Client, wrong })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task TheTerritoryIsPublicWithItsFourEpcisSeventySixCommunesAndTwelveQuartiers()
    {
        using var response = await fixture.Backend.Client.GetAsync("api/territory");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var territory = await response.JsonAsync();
        Assert.Equal(4, territory["epcis"]!.AsArray().Count);
        Assert.Equal(76, territory["communes"]!.AsArray().Count);
        Assert.Equal(76, territory["epcis"]!.AsArray().Sum(e => e!["communes"]!.GetValue<int>()));
        Assert.Equal(12, territory["quartiers"]!.AsArray().Count);
        var cesson = territory["communes"]!.AsArray().Single(c => c!["inseeCode"]!.GetValue<string>() == "35051")!;
        Assert.Equal("Cesson-Sévigné", cesson["name"]!.GetValue<string>());
        Assert.Equal("243500139", cesson["epci"]!.GetValue<string>());
        var sectors = territory["sectors"]!.AsArray();
        Assert.Contains(sectors, s => s!["code"]!.GetValue<string>() == "alimentation" && s["label"]!.GetValue<string>() == "Alimentation, restauration");
        Assert.Equal("autre", sectors[^1]!["code"]!.GetValue<string>());
    }
}
