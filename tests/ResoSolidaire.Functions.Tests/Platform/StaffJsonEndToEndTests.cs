using System.Net;
using System.Net.Http.Json;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Porteurs.FollowUp;

namespace ResoSolidaire.Functions.Tests.Platform;

/// <summary>
/// The staff JSON binder through the local host and the real worker, on one endpoint of each reader it replaced
/// (editions, actors, cases): the refusal names the field in French, and nothing is stored.
/// </summary>
public sealed class StaffJsonEndToEndTests(StaffBackend fixture) : IClassFixture<StaffBackend>
{
    private readonly HttpClient _staff = fixture.Backend.StaffClient;

    [Fact]
    public async Task AnEditionWithNewsBodyInsteadOfTextIsRefusedNamingThePropertyAndNothingIsStored()
    {
        var subject = $"Lettre {StaffBackend.UniqueTag()}";
        var edition = new { subject, intro = "Bonjour.", news = new[] { new { title = "Forum des associations", body = "Le 14 mars." } } };

        using var response = await _staff.PostAsJsonAsync("api/staff/newsletter/editions", edition);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("Certaines informations sont manquantes ou invalides.", problem["title"]!.GetValue<string>());
        Assert.Equal("Propriété inconnue. Propriétés attendues ici : title, text, link.", Assert.Single(problem.FieldErrors("news[0].body")));
        var editions = await _staff.GetStringAsync("api/staff/newsletter/editions");
        Assert.DoesNotContain(subject, editions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActorWithMistypedValuesIsRefusedFieldByFieldAndNothingIsStored()
    {
        var tag = StaffBackend.UniqueTag();
        var actor = ActorBodies.Valid(tag).With("sectors", "culture").With("newsletter", "oui").With("consent", new { date = "2026-03-14", origine = "forum" });

        using var response = await _staff.PostAsJsonAsync("api/staff/directory/actors", actor);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("Doit être une liste (tableau JSON).", Assert.Single(problem.FieldErrors("sectors")));
        Assert.Equal("Doit être true ou false.", Assert.Single(problem.FieldErrors("newsletter")));
        Assert.Equal("Propriété inconnue. Propriétés attendues ici : date, source, textVersion.", Assert.Single(problem.FieldErrors("consent.origine")));
        using var list = await _staff.GetAsync($"api/staff/directory/actors?tag={tag}");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Empty((await list.JsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task ACaseChangeWithAnUnknownPropertyIsRefusedAndTheCaseIsUnchanged()
    {
        var reference = await Intakes.SubmitPorteurAsync(fixture.Backend, $"Projet {Guid.NewGuid():N}");
        using var before = await _staff.GetAsync($"api/staff/porteurs/cases/{reference}");
        var detail = (await before.JsonAsync()).ToJsonString();

        using var response = await _staff.PostAsJsonAsync($"api/staff/porteurs/cases/{reference}/phase", new { phase = "diagnostic", commentaire = "Premier rendez-vous." });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("Propriété inconnue. Propriétés attendues ici : phase, comment.", Assert.Single(problem.FieldErrors("commentaire")));
        using var after = await _staff.GetAsync($"api/staff/porteurs/cases/{reference}");
        Assert.Equal(detail, (await after.JsonAsync()).ToJsonString());
    }

    [Fact]
    public async Task AStaffBodyNotSentAsJsonIsRefusedWith415InFrench()
    {
        using var content = new StringContent("""{"note":"Rappelé."}""", System.Text.Encoding.UTF8, "text/plain");

        using var response = await _staff.PutAsync("api/staff/inbox/messages/CT-2026-0001/handled", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Le corps de la requête doit être envoyé en JSON.", (await response.ProblemAsync())["title"]!.GetValue<string>());
    }
}
