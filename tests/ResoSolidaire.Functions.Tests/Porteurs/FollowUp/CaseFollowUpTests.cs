using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Porteurs.FollowUp;

/// <summary>The follow-up of porteurs de projet, on intakes posted through the real website form.</summary>
public sealed class CaseFollowUpTests(StaffBackend fixture) : IClassFixture<StaffBackend>
{
    private const string Cases = "api/staff/porteurs/cases";
    private readonly HttpClient _staff = fixture.Backend.StaffClient;

    private Task<string> NewCaseAsync(string? title = null, string commune = "Cesson-Sévigné", string postalCode = "35510", byte[]? pdf = null) =>
        Intakes.SubmitPorteurAsync(fixture.Backend, title ?? $"Projet {Guid.NewGuid():N}", commune, postalCode, pdf);

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string url, object body, HttpClient? client = null)
    {
        using var response = await (client ?? _staff).PostAsJsonAsync(url, body);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private async Task<JsonObject> MoveAsync(string reference, string phase)
    {
        var (status, body) = await PostAsync($"{Cases}/{reference}/phase", new { phase });
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private async Task AssignAsync(string reference, string assignee) =>
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"{Cases}/{reference}/assignee", new { assignee })).Status);

    private async Task<List<string>> ListAsync(string query)
    {
        using var response = await _staff.GetAsync($"{Cases}?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["items"]!.AsArray().Select(i => i!["reference"]!.GetValue<string>()).ToList();
    }

    [Fact]
    public async Task ANewIntakeIsACaseInAccueilWithItsTimeline()
    {
        var reference = await NewCaseAsync();

        using var response = await _staff.GetAsync($"{Cases}/{reference}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var detail = await response.JsonAsync();
        Assert.Equal("accueil", detail["case"]!["phase"]!.GetValue<string>());
        Assert.Equal("Cesson-Sévigné", detail["case"]!["commune"]!.GetValue<string>());
        Assert.Equal(["diagnostic", "orientation", "clos", "abandonne"], detail["allowedPhases"]!.AsArray().Select(p => p!.GetValue<string>()));
        var first = Assert.Single(detail["timeline"]!.AsArray())!;
        Assert.Equal("demande", first["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task PhasesMoveOnlyAlongSensibleTransitionsAndEveryMoveIsAttributed()
    {
        var reference = await NewCaseAsync();

        await MoveAsync(reference, "diagnostic");
        await MoveAsync(reference, "orientation");
        var (status, problem) = await PostAsync($"{Cases}/{reference}/phase", new { phase = "clos", comment = "orienté vers un partenaire" }, fixture.Backend.TeamClient);
        Assert.Equal(HttpStatusCode.OK, status);
        var (refusedStatus, refused) = await PostAsync($"{Cases}/{reference}/phase", new { phase = "accompagnement" });

        Assert.Equal(HttpStatusCode.Conflict, refusedStatus);
        Assert.Contains("Clos", refused["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["accueil"], refused["allowed"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Contains("Accueil", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var timeline = problem["timeline"]!.AsArray().Skip(1).ToList();
        Assert.Equal(["diagnostic", "orientation", "clos"], timeline.Select(e => e!["phaseTo"]!.GetValue<string>()));
        Assert.Equal([Backend.AdministrationName, Backend.AdministrationName, Backend.TeamName], timeline.Select(e => e!["by"]!.GetValue<string>()));
        Assert.Equal([Backend.AdministrationObjectId, Backend.AdministrationObjectId, Backend.TeamObjectId], timeline.Select(e => e!["byObjectId"]!.GetValue<string>()));
        Assert.Equal("orienté vers un partenaire", timeline[2]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task SkippingAheadIsRefusedWithTheAllowedPhases()
    {
        var reference = await NewCaseAsync();

        var (status, problem) = await PostAsync($"{Cases}/{reference}/phase", new { phase = "suivi" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(["diagnostic", "orientation", "clos", "abandonne"], problem["allowed"]!.AsArray().Select(p => p!.GetValue<string>()));
        var (unknown, validation) = await PostAsync($"{Cases}/{reference}/phase", new { phase = "termine" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.NotEmpty(validation.FieldErrors("phase"));
    }

    [Fact]
    public async Task AssignNotesOrientationsAndNextActionAreKeptInTheTimeline()
    {
        var reference = await NewCaseAsync();
        var partner = await Intakes.CreateActorAsync(fixture.Backend, "France Active Bretagne (test)");

        await AssignAsync(reference, "Maëlle");
        var (noteStatus, _) = await PostAsync($"{Cases}/{reference}/notes", new { text = "Premier rendez-vous : projet solide.", date = "2026-03-02" });
        var (orientStatus, _) = await PostAsync($"{Cases}/{reference}/orientations", new { actorId = partner, comment = "Pour le financement" });
        using var next = await _staff.PutAsJsonAsync($"{Cases}/{reference}/next-action", new { date = "2026-04-01", label = "Rappeler" });
        var detail = await next.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, noteStatus);
        Assert.Equal(HttpStatusCode.OK, orientStatus);
        Assert.Equal("Maëlle", detail["case"]!["assignee"]!.GetValue<string>());
        Assert.Equal("2026-04-01", detail["case"]!["nextActionDate"]!.GetValue<string>());
        var orientation = Assert.Single(detail["orientations"]!.AsArray())!;
        Assert.Equal(partner, orientation["actorId"]!.GetValue<string>());
        Assert.Equal("France Active Bretagne (test)", orientation["actorName"]!.GetValue<string>());
        var kinds = detail["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>());
        Assert.Equal(["demande", "assignation", "note", "orientation", "prochaine-action"], kinds);
        var note = detail["timeline"]![2]!;
        Assert.Equal("2026-03-02", note["date"]!.GetValue<string>());
        Assert.Equal(Backend.AdministrationName, note["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOrientationMustPointToAnActorOfTheDirectory()
    {
        var reference = await NewCaseAsync();

        var (status, problem) = await PostAsync($"{Cases}/{reference}/orientations", new { actorId = "0000000000000000" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("annuaire", problem.FieldErrors("actorId")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInputsAreNamedAndAnUnknownCaseIsNotFound()
    {
        var reference = await NewCaseAsync();

        var (badDate, dateProblem) = await PostAsync($"{Cases}/{reference}/notes", new { text = "x", date = "02/03/2026" });
        var (emptyNote, noteProblem) = await PostAsync($"{Cases}/{reference}/notes", new { text = " " });
        var (extra, extraProblem) = await PostAsync($"{Cases}/{reference}/assignee", new { assignee = "Maëlle", role = "x" });
        var (missing, missingProblem) = await PostAsync($"{Cases}/PP-2020-9999/phase", new { phase = "diagnostic" });

        Assert.Equal(HttpStatusCode.BadRequest, badDate);
        Assert.Contains("AAAA-MM-JJ", dateProblem.FieldErrors("date")[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, emptyNote);
        Assert.NotEmpty(noteProblem.FieldErrors("text"));
        Assert.Equal(HttpStatusCode.BadRequest, extra);
        Assert.NotEmpty(extraProblem.FieldErrors("role"));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("introuvable", missingProblem["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CasesAreFilteredByPhaseAssigneeSectorCommuneAndDate()
    {
        var staff = StaffBackend.UniqueTag();
        var inRennes = await NewCaseAsync(commune: "Rennes", postalCode: "35000");
        var inCesson = await NewCaseAsync();
        await AssignAsync(inRennes, staff);
        await AssignAsync(inCesson, staff);
        await MoveAsync(inCesson, "diagnostic");

        Assert.Equal([inCesson, inRennes], await ListAsync($"assignee={staff}"));
        Assert.Equal([inCesson], await ListAsync($"assignee={staff}&phase=diagnostic"));
        Assert.Equal([inRennes], await ListAsync($"assignee={staff.ToUpperInvariant()}&commune=35238&sector=mobilite"));
        Assert.Empty(await ListAsync($"assignee={staff}&sector=culture"));
        Assert.Empty(await ListAsync($"assignee={staff}&to=2020-01-01"));
        Assert.Equal(2, (await ListAsync($"assignee={staff}&from=2020-01-01&pageSize=500")).Count);
        Assert.Single(await ListAsync($"assignee={staff}&pageSize=1"));
    }

    [Fact]
    public async Task TheDueListHoldsOpenCasesWhoseNextActionHasCome()
    {
        var staff = StaffBackend.UniqueTag();
        var late = await NewCaseAsync();
        var later = await NewCaseAsync();
        var closed = await NewCaseAsync();
        var future = await NewCaseAsync();
        foreach (var (reference, date) in new[] { (late, "2026-01-05"), (later, "2026-01-20"), (closed, "2026-01-01"), (future, "2999-01-01") })
        {
            await AssignAsync(reference, staff);
            using var response = await _staff.PutAsJsonAsync($"{Cases}/{reference}/next-action", new { date, label = "Relancer" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await MoveAsync(closed, "abandonne");

        Assert.Equal([late, later], await ListAsync($"assignee={staff}&due=true"));
    }

    [Fact]
    public async Task AnAttachmentIsDownloadableByStaffOnly()
    {
        var pdf = SampleFiles.Pdf();
        var reference = await NewCaseAsync(pdf: pdf);
        using var detail = await _staff.GetAsync($"{Cases}/{reference}");
        var attachment = Assert.Single((await detail.JsonAsync())["attachments"]!.AsArray())!;
        var url = attachment["downloadUrl"]!.GetValue<string>().TrimStart('/');

        using var download = await _staff.GetAsync(url);
        using var anonymous = await fixture.Backend.Client.GetAsync(url);
        using var wrongKey = fixture.Backend.CreateClient("pas-la-bonne-cle");
        using var wrong = await wrongKey.GetAsync(url);
        using var missing = await _staff.GetAsync($"{Cases}/{reference}/attachments/2");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Contains("attachment", download.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("GET", Cases)]
    [InlineData("GET", Cases + "/PP-2026-0001")]
    [InlineData("POST", Cases + "/PP-2026-0001/phase")]
    [InlineData("POST", Cases + "/PP-2026-0001/assignee")]
    [InlineData("POST", Cases + "/PP-2026-0001/notes")]
    [InlineData("POST", Cases + "/PP-2026-0001/orientations")]
    [InlineData("PUT", Cases + "/PP-2026-0001/next-action")]
    public async Task CaseRoutesRefuseAMissingOrWrongKey(string method, string url)
    {
        using var wrong = fixture.Backend.CreateClient("pas-la-bonne-cle");
        foreach (var client in new[] { fixture.Backend.Client, wrong })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { phase = "diagnostic" }) };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
