using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Directory;

/// <summary>The spreadsheet import, through the real function app, against Azurite.</summary>
public sealed class ImportEndpointTests(StaffBackend fixture) : IClassFixture<StaffBackend>
{
    private const string Import = "api/staff/directory/import";
    private static readonly Encoding Windows1252 = CodePages();

    private readonly HttpClient _staff = fixture.Backend.StaffClient;

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> ImportAsync(byte[] file, string query = "")
    {
        using var content = Http.CsvContent(file);
        using var response = await _staff.PostAsync($"{Import}{query}", content);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private async Task<List<TableEntity>> ActorsTaggedAsync(string tag) =>
        await fixture.Backend.Table("Actors").QueryAsync<TableEntity>().Where(e => (e.GetString("TagKeys") ?? "").Split('\n').Contains(tag)).ToListAsync();

    private static string Outcome(JsonObject report, int line) =>
        report["rows"]!.AsArray().Single(r => r!["line"]!.GetValue<int>() == line)!["outcome"]!.GetValue<string>();

    private static JsonObject Row(JsonObject report, int line) =>
        report["rows"]!.AsArray().Single(r => r!["line"]!.GetValue<int>() == line)!.AsObject();

    /// <summary>A small spreadsheet of the test's own, tagged so that its rows are told apart.</summary>
    private static string Sheet(string tag, params string[] rows) =>
        "Nom;Type;SIRET;Secteurs;Commune;Code postal;E-mail;Tags\r\n" + string.Concat(rows.Select(r => r.Replace("{tag}", tag, StringComparison.Ordinal) + "\r\n"));

    [Fact]
    public async Task TheWindows1252SampleImportsWithItsAccentsAndAReImportChangesNothing()
    {
        var sample = await File.ReadAllBytesAsync(RepoPaths.Combine("samples", "data", "acteurs-exemple.csv"));
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(sample));

        var (dryStatus, dry) = await ImportAsync(sample, "?dryRun=true");
        Assert.Equal(HttpStatusCode.OK, dryStatus);
        Assert.Equal("Windows-1252", dry["encoding"]!.GetValue<string>());
        Assert.Equal(";", dry["separator"]!.GetValue<string>());
        var rows = dry["summary"]!["rows"]!.GetValue<int>();
        Assert.True(rows >= 20);
        Assert.Equal(0, dry["summary"]!["rejected"]!.GetValue<int>());
        Assert.All(dry["rows"]!.AsArray(), r => Assert.True(r!["outcome"]!.GetValue<string>() is "created" or "unchanged"));
        Assert.Equal(2, dry["rows"]![0]!["line"]!.GetValue<int>());

        var (status, report) = await ImportAsync(sample);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(report["written"]!.GetValue<bool>());

        var actors = await fixture.Backend.Table("Actors").QueryAsync<TableEntity>().ToListAsync();
        var epicerie = actors.Single(a => a.GetString("Name") == "Épicerie Solidaire du Cormier");
        Assert.Equal("35253", epicerie.GetString("CommuneInsee"));
        Assert.Equal("Saint-Aubin-du-Cormier", epicerie.GetString("CommuneName"));
        Assert.Equal("243500774", epicerie.GetString("Epci"));
        var bouexiere = actors.Single(a => a.GetString("Name") == "Ressourcerie La Bouëxière");
        Assert.Equal("La Bouëxière", bouexiere.GetString("CommuneName"));
        var villejean = actors.Single(a => a.GetString("Name") == "Vélo Solidaire Villejean");
        Assert.Equal("villejean-beauregard", villejean.GetString("Quartier"));
        Assert.Equal("mobilite\ninsertion-emploi", villejean.GetString("Sectors"));
        var camille = actors.Single(a => a.GetString("Name") == "Camille Durand");
        Assert.Contains("« très motivée »", camille.GetString("Notes"), StringComparison.Ordinal);
        Assert.Equal(Backend.AdministrationName, camille.GetString("CreatedBy"));
        var fondation = actors.Single(a => a.GetString("Name") == "Fondation Élan Solidaire");
        Assert.False(fondation.GetBoolean("Newsletter"));

        var (againStatus, again) = await ImportAsync(sample);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(rows, again["summary"]!["unchanged"]!.GetValue<int>());
        Assert.Equal(actors.Count, await fixture.Backend.Table("Actors").QueryAsync<TableEntity>().CountAsync());
    }

    [Fact]
    public async Task ADryRunReportsEveryRowWithItsLineAndWritesNothing()
    {
        var tag = StaffBackend.UniqueTag();
        var siret = Sirets.Valid();
        var text = Sheet(
            tag,
            $"Asso A {{tag}};Association;{siret};Culture;Rennes;35000;a-{{tag}}@asso.example;{{tag}}",
            "Asso B {tag};Club;;Culture;Rennes;35000;b-{tag}@asso.example;{tag}",
            $"Asso C {{tag}};Association;{Sirets.WithWrongKey()};Culture;Rennes;35000;;{{tag}}",
            "Asso D {tag};Association;;Culture;Atlantis;;;{tag}",
            $"Asso A bis {{tag}};Association;{siret};Culture;Rennes;35000;;{{tag}}");

        var (status, report) = await ImportAsync(Encoding.UTF8.GetBytes(text), "?dryRun=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("created", Outcome(report, 2));
        Assert.Equal("rejected", Outcome(report, 3));
        Assert.Contains("Type d'acteur inconnu", Row(report, 3)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("SIRET", Row(report, 4)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Commune introuvable", Row(report, 5)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Doublon de la ligne 2", Row(report, 6)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await ActorsTaggedAsync(tag));
    }

    [Fact]
    public async Task ARealRunWithARejectedRowWritesNothingUnlessToldToSkipIt()
    {
        var tag = StaffBackend.UniqueTag();
        var file = Encoding.UTF8.GetBytes(Sheet(
            tag,
            "Asso valide {tag};Association;;Culture;Rennes;35000;v-{tag}@asso.example;{tag}",
            "Asso invalide {tag};Association;;Culture;Rennes;35000;pas-une-adresse;{tag}"));

        var (status, problem) = await ImportAsync(file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("rien n'a été importé", problem["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, problem["rejected"]![0]!["line"]!.GetValue<int>());
        Assert.Empty(await ActorsTaggedAsync(tag));

        var (skipStatus, report) = await ImportAsync(file, "?skipRejected=true");
        Assert.Equal(HttpStatusCode.OK, skipStatus);
        Assert.Equal(1, report["summary"]!["created"]!.GetValue<int>());
        Assert.Equal(["Asso valide " + tag], (await ActorsTaggedAsync(tag)).Select(a => a.GetString("Name")));
    }

    [Theory]
    [InlineData("broken-quote")]
    [InlineData("stray-quote")]
    [InlineData("wrong-encoding")]
    [InlineData("workbook")]
    [InlineData("no-name-column")]
    public async Task AMalformedFileIsRefusedWholeWithItsLine(string defect)
    {
        var tag = StaffBackend.UniqueTag();
        var good = $"Asso 1 {tag};Association;;Culture;Rennes;35000;;{tag}\r\n";
        byte[] file = defect switch
        {
            "broken-quote" => Encoding.UTF8.GetBytes(Sheet(tag) + good + $"\"Asso 2 {tag};Association;;Culture;Rennes;35000;;{tag}\r\n" + good.Replace("1", "3", StringComparison.Ordinal)),
            "stray-quote" => Encoding.UTF8.GetBytes(Sheet(tag) + good + $"Asso \"2\" {tag};Association;;Culture;Rennes;35000;;{tag}\r\n"),
            "wrong-encoding" => [.. Encoding.UTF8.GetBytes(Sheet(tag) + good), .. "Asso 2 "u8.ToArray(), 0x81, 0x00, .. Encoding.UTF8.GetBytes($";Association;;;Rennes;;;{tag}\r\n")],
            "workbook" => [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00],
            _ => Encoding.UTF8.GetBytes($"Intitulé;Type\r\nAsso {tag};Association\r\n"),
        };

        var (status, problem) = await ImportAsync(file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Le fichier ne peut pas être importé.", problem["title"]!.GetValue<string>());
        var expectedLine = defect switch { "broken-quote" or "stray-quote" or "wrong-encoding" => 3, "workbook" => 0, _ => 1 };
        Assert.Equal(expectedLine, problem["line"]!.GetValue<int>());
        Assert.Empty(await ActorsTaggedAsync(tag));
    }

    [Fact]
    public async Task RowsAreMatchedBySiretThenEmailThenNameAndCommune()
    {
        var tag = StaffBackend.UniqueTag();
        var siret = Sirets.Valid();
        var (_, first) = await ImportAsync(Encoding.UTF8.GetBytes(Sheet(
            tag,
            $"Par SIRET {{tag}};Association;{siret};Culture;Rennes;35000;;{{tag}}",
            "Par e-mail {tag};Association;;Culture;Rennes;35000;mail-{tag}@asso.example;{tag}",
            "Par nom {tag};Association;;Culture;Bruz;35170;;{tag}")));
        Assert.Equal(3, first["summary"]!["created"]!.GetValue<int>());

        var (status, second) = await ImportAsync(Encoding.UTF8.GetBytes(Sheet(
            tag,
            $"Nouveau nom {{tag}};Association;{siret};Culture;Rennes;35000;;{{tag}}",
            "Autre nom {tag};Association;;Culture;Rennes;35000;MAIL-{tag}@asso.example;{tag}",
            "PAR NOM {tag};Association;;Culture, Mobilité;Bruz;35170;;{tag}",
            "Par nom {tag};Association;;Culture;Pacé;35740;;{tag}")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("updated", Outcome(second, 2));
        Assert.Equal(["nom"], Row(second, 2)["changes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("updated", Outcome(second, 3));
        Assert.Equal("updated", Outcome(second, 4));
        Assert.Contains("secteurs", Row(second, 4)["changes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("created", Outcome(second, 5));
        var names = (await ActorsTaggedAsync(tag)).Select(a => a.GetString("Name")).Order(StringComparer.Ordinal);
        Assert.Equal(["Autre nom " + tag, "Nouveau nom " + tag, "PAR NOM " + tag, "Par nom " + tag], names);
    }

    [Fact]
    public async Task AUtf8FileWithBomCommasAndHeaderVariantsIsUnderstood()
    {
        var tag = StaffBackend.UniqueTag();
        var text = "\uFEFFRaison sociale,Catégorie,Code INSEE,Quartier,Courriel,Courriel 2,Tél.,Lettre d'information,Étiquettes,Colonne perso\r\n"
            + $"\"Coopérative Été, {tag}\",coopérative,35238,Bréquigny,a-{tag}@coop.example,b-{tag}@coop.example,02 99 00 00 02,non,\"{tag}, été\",x\r\n";

        var (status, report) = await ImportAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("UTF-8", report["encoding"]!.GetValue<string>());
        Assert.Equal(",", report["separator"]!.GetValue<string>());
        Assert.Equal(["Colonne perso"], report["ignoredColumns"]!.AsArray().Select(c => c!.GetValue<string>()));
        var actor = Assert.Single(await ActorsTaggedAsync(tag));
        Assert.Equal($"Coopérative Été, {tag}", actor.GetString("Name"));
        Assert.Equal("cooperative", actor.GetString("Kind"));
        Assert.Equal("brequigny", actor.GetString("Quartier"));
        Assert.Equal($"a-{tag}@coop.example\nb-{tag}@coop.example", actor.GetString("Emails"));
        Assert.False(actor.GetBoolean("Newsletter"));
    }
}
