using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Tests.Directory;
using static ResoSolidaire.Functions.Tests.Newsletter.NewsletterBackend;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>
/// Persons imported into the directory and the monthly edition, end to end: the staff import, the dispatch
/// timer, the real worker, the mail sink.
/// </summary>
public sealed class DirectoryConsentDispatchTests
{
    [Fact]
    public async Task AnImportedPersonWithoutConsentReceivesNoEditionAndOneWithARecordedConsentDoes()
    {
        await using var backend = await StartAsync();
        var tag = StaffBackend.UniqueTag();
        var sheet = "Nom;Type;E-mail;Newsletter;Date du consentement;Source du consentement;Version du texte\r\n"
            + $"Camille Sans {tag};Individu;sans-{tag}@exemple.fr;oui;;;\r\n"
            + $"Léa Avec {tag};Étudiant;avec-{tag}@exemple.fr;;14/03/2026;bulletin papier, AG 2026;2026-01\r\n"
            + $"Asso {tag};Association;asso-{tag}@exemple.fr;;;;\r\n";

        using var content = Http.CsvContent(Encoding.UTF8.GetBytes(sheet));
        using var imported = await backend.StaffClient.PostAsync("api/staff/directory/import", content);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var report = (await imported.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(0, report["summary"]!["rejected"]!.GetValue<int>());
        var withoutConsent = report["rows"]!.AsArray().Single(r => r!["line"]!.GetValue<int>() == 2)!;
        Assert.Contains("faute de consentement", Assert.Single(withoutConsent["notices"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);

        var id = await ApprovedEditionDueNowAsync(backend);
        await RunUntilSentAsync(backend, id);

        var copies = Copies(backend.Mail);
        Assert.Equal(1, copies.GetValueOrDefault($"avec-{tag}@exemple.fr"));
        Assert.Equal(1, copies.GetValueOrDefault($"asso-{tag}@exemple.fr"));
        Assert.False(copies.ContainsKey($"sans-{tag}@exemple.fr"), "a person without a recorded consent received the edition");
    }
}
