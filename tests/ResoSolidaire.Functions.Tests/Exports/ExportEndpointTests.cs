using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Platform.Audit;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Porteurs.FollowUp;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Exports;

/// <summary>The export routes through the local host running the real app: files, filters, keys and the audit log.</summary>
public sealed class ExportEndpointTests(StaffBackend fixture) : IClassFixture<StaffBackend>
{
    private static readonly string[] Datasets = ["contact-messages", "porteurs", "actors", "subscribers", "deliveries", "agenda-events", "rooms", "room-bookings", "audit"];

    private readonly HttpClient _staff = fixture.Backend.StaffClient;

    private async Task<string> NewActorAsync(string tag, string name)
    {
        var body = ActorBodies.Valid(tag, name).With("notes", "=HYPERLINK(\"http://example.com\")");
        using var response = await _staff.PostAsJsonAsync("api/staff/directory/actors", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync())["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task ActorsExportAsACsvForExcelNamedAfterTheDatasetAndTheDayAndTheExportIsAudited()
    {
        var tag = StaffBackend.UniqueTag();
        await NewActorAsync(tag, "Cœur de Bréquigny");
        await NewActorAsync(tag, "Épicerie « Le Panier »");

        using var response = await _staff.GetAsync($"api/staff/exports/actors?tag={tag}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Matches(@"^acteurs_\d{4}-\d{2}-\d{2}\.csv$", disposition.FileNameStar);
        var rows = ExportFiles.ReadAsFrenchExcel(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("Nom", rows[0][1]);
        Assert.Equal(["Cœur de Bréquigny", "Épicerie « Le Panier »"], rows.Skip(1).Select(r => r[1]).Order(StringComparer.Ordinal));
        Assert.All(rows.Skip(1), r => Assert.Equal("'=HYPERLINK(\"http://example.com\")", r[Array.IndexOf(rows[0], "Notes")]));

        var audit = await AuditAsync(e => e.GetString("Dataset") == "actors" && (e.GetString("Filters") ?? "").Contains(tag, StringComparison.Ordinal));
        Assert.Equal(Backend.AdministrationName, audit.GetString("Principal"));
        Assert.Equal(2, audit.GetInt32("Rows"));
        Assert.Equal("excel", audit.GetString("Format"));
        Assert.True(audit.GetBoolean("Completed"));
    }

    [Fact]
    public async Task TheXlsxOfTheSameFilterMatchesTheCsv()
    {
        var tag = StaffBackend.UniqueTag();
        await NewActorAsync(tag, "Ressourcerie Île-de-Rennes");

        using var csv = await _staff.GetAsync($"api/staff/exports/actors?tag={tag}");
        using var xlsx = await _staff.GetAsync($"api/staff/exports/actors?tag={tag}&format=xlsx");

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".xlsx", xlsx.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        var fromCsv = ExportFiles.ReadAsFrenchExcel(await csv.Content.ReadAsByteArrayAsync());
        var fromXlsx = ExportFiles.ReadXlsx(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(fromCsv.Count, fromXlsx.Count);
        for (var i = 0; i < fromCsv.Count; i++)
        {
            Assert.Equal(fromCsv[i], fromXlsx[i]);
        }
    }

    [Fact]
    public async Task ContactMessagesExportAsJsonWithTheirConsentRecord()
    {
        var email = $"export-{Guid.NewGuid():N}@exemple.fr";
        var reference = await Intakes.SubmitContactAsync(fixture.Backend, email, "presse");

        using var response = await _staff.GetAsync("api/staff/exports/contact-messages?format=json&topic=presse&handled=false&from=2020-01-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonArray>())!.Single(m => m!["reference"]!.GetValue<string>() == reference)!;
        Assert.Equal(email, message["email"]!.GetValue<string>());
        Assert.Equal("contact", message["consentForm"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(message["consentTextVersion"]!.GetValue<string>()));
        Assert.NotNull(message["consentAt"]);
    }

    [Fact]
    public async Task BadFiltersAndUnknownDatasetsAreProblems()
    {
        using var unknown = await _staff.GetAsync("api/staff/exports/salaires");
        using var bad = await _staff.GetAsync("api/staff/exports/porteurs?format=pdf&from=hier&phase=fini");
        using var noEdition = await _staff.GetAsync("api/staff/exports/deliveries");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("actors", (await unknown.ProblemAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var problem = await bad.ProblemAsync();
        Assert.NotEmpty(problem.FieldErrors("format"));
        Assert.NotEmpty(problem.FieldErrors("from"));
        Assert.NotEmpty(problem.FieldErrors("phase"));
        Assert.NotEmpty((await noEdition.ProblemAsync()).FieldErrors("edition"));
    }

    [Fact]
    public async Task EveryExportAndPrivacyRouteRefusesAMissingOrWrongKey()
    {
        using var anonymous = fixture.Backend.CreateClient(null);
        using var wrong = fixture.Backend.CreateClient("not-the-staff-key");
        foreach (var client in new[] { anonymous, wrong })
        {
            foreach (var dataset in Datasets)
            {
                using var export = await client.GetAsync($"api/staff/exports/{dataset}");
                Assert.Equal(HttpStatusCode.Unauthorized, export.StatusCode);
            }

            foreach (var route in new[] { "api/staff/privacy/access", "api/staff/privacy/erasure" })
            {
                using var request = await client.PostAsJsonAsync(route, new { email = "camille@exemple.fr" });
                Assert.Equal(HttpStatusCode.Unauthorized, request.StatusCode);
            }
        }

        using var timer = await anonymous.PostAsJsonAsync("admin/functions/PurgeExpiredPersonalData", new { input = "" });
        Assert.Equal(HttpStatusCode.Unauthorized, timer.StatusCode);
    }

    [Fact]
    public async Task TheAuditLogExportsItselfAndEveryDatasetAnswersEvenEmpty()
    {
        foreach (var dataset in Datasets.Where(d => d != "deliveries"))
        {
            using var response = await _staff.GetAsync($"api/staff/exports/{dataset}?format=csv&from=2020-01-01");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var audit = await _staff.GetAsync("api/staff/exports/audit?format=json&action=export");
        var entries = (await audit.Content.ReadFromJsonAsync<JsonArray>())!;
        Assert.Contains(entries, e => e!["dataset"]?.GetValue<string>() == "agenda-events");
        Assert.DoesNotContain(entries, e => e!["filters"]!.GetValue<string>().Contains("code", StringComparison.Ordinal));
    }

    private async Task<TableEntity> AuditAsync(Func<TableEntity, bool> match)
    {
        var table = fixture.Backend.Table(AuditLog.TableName);
        return await Testing.Eventually.ReturnsAsync(
            async () =>
            {
                await foreach (var entry in table.QueryAsync<TableEntity>())
                {
                    if (match(entry))
                    {
                        return entry;
                    }
                }

                return null;
            },
            e => e is not null,
            what: "the audit entry of the export");
    }
}
