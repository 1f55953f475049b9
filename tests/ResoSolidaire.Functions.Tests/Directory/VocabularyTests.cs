using System.Text;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Directory.Import;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Platform.PersonalData;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Directory;

/// <summary>
/// The directory's vocabularies against Azurite, through the app's services: seeded from the lists the app started
/// with, changed by staff, and the actors rewritten to follow; the import's decisions on unknown values, remembered.
/// </summary>
public sealed class VocabularyTests
{
    private static async Task<string> CreateAsync(FormsTestServices services, string name, string kind, IReadOnlyList<string> sectors, IReadOnlyList<string> tags)
    {
        var vocabulary = await services.Get<VocabularyStore>().CurrentAsync(default);
        var (fields, errors) = ActorRules.Validate(new ActorInput(name, kind, null, null, [.. sectors], "35238", null, null, null, [], null, null, [.. tags], false, null), vocabulary);
        Assert.True(fields is not null, string.Join(" ", errors.Values.SelectMany(e => e)));
        return (await services.Get<ActorStore>().CreateAsync(fields, StaffMembers.Test, default)).Actor!.RowKey;
    }

    private static async Task<ActorEntity> ActorAsync(FormsTestServices services, string id) => (await services.Get<ActorStore>().GetAsync(id, default))!;

    [Fact]
    public async Task TheVocabulariesStartFromTheListsTheAppShippedWith()
    {
        await using var services = await FormsTestServices.StartAsync();

        var vocabulary = await services.Get<VocabularyStore>().CurrentAsync(default);

        Assert.Equal(Sectors.Terms.All.Select(t => t.Code).Order(StringComparer.Ordinal), vocabulary.Sectors.All.Select(t => t.Code).Order(StringComparer.Ordinal));
        Assert.Equal(ActorKinds.Terms.All.Count, vocabulary.Kinds.All.Count);
        Assert.Equal("autre", vocabulary.Sectors.All[^1].Code);
        Assert.Equal("insertion-emploi", vocabulary.Sectors.Find("IAE")?.Code);
    }

    [Fact]
    public async Task RenamingATagRewritesTheActorsThatCarryItAndTheOldNameStillFindsIt()
    {
        await using var services = await FormsTestServices.StartAsync();
        var first = await CreateAsync(services, "Asso A", "association", ["culture"], ["forum 2025", "quartier"]);
        var second = await CreateAsync(services, "Asso B", "association", [], ["Forum 2025"]);
        var untouched = await CreateAsync(services, "Asso C", "association", [], ["quartier"]);
        var tag = (await services.Get<VocabularyStore>().EntitiesAsync(VocabularyName.Tags, default)).Single(t => t.Label == "forum 2025");

        var outcome = await services.Get<VocabularyService>().RenameAsync(VocabularyName.Tags, tag.RowKey, "Forum de mars 2025", StaffMembers.Test, default);

        Assert.True(outcome.Done);
        Assert.Equal(2, outcome.ActorsChanged);
        Assert.Equal(["Forum de mars 2025", "quartier"], ActorEntity.SplitList((await ActorAsync(services, first)).Tags));
        Assert.Equal(["forum de mars 2025"], ActorEntity.SplitList((await ActorAsync(services, second)).TagKeys));
        Assert.Equal(["quartier"], ActorEntity.SplitList((await ActorAsync(services, untouched)).Tags));
        Assert.Equal("Forum de mars 2025", (await services.Get<VocabularyStore>().CurrentAsync(default)).Tags.Find("forum 2025")?.Label);
    }

    [Fact]
    public async Task RenamingASectorChangesItsLabelAndNoActor()
    {
        await using var services = await FormsTestServices.StartAsync();
        var id = await CreateAsync(services, "Vélo Club", "association", ["mobilite"], []);
        var before = (await ActorAsync(services, id)).ETag;

        var outcome = await services.Get<VocabularyService>().RenameAsync(VocabularyName.Sectors, "mobilite", "Mobilités douces", StaffMembers.Test, default);

        Assert.True(outcome.Done);
        Assert.Equal(0, outcome.ActorsChanged);
        Assert.Equal(before, (await ActorAsync(services, id)).ETag);
        var sectors = (await services.Get<VocabularyStore>().CurrentAsync(default)).Sectors;
        Assert.Equal("Mobilités douces", sectors.Label("mobilite"));
        Assert.Equal("mobilite", sectors.Find("Mobilité")?.Code);
    }

    [Fact]
    public async Task MergingASectorMovesItsActorsToTheOtherAndItsSpellingsFollow()
    {
        await using var services = await FormsTestServices.StartAsync();
        var service = services.Get<VocabularyService>();
        var both = await CreateAsync(services, "Habitat et social", "association", ["habitat", "sante-social"], []);
        var one = await CreateAsync(services, "Foyer", "association", ["habitat"], []);
        var other = await CreateAsync(services, "Culture", "association", ["culture"], []);

        var outcome = await service.MergeAsync(VocabularyName.Sectors, "habitat", "sante-social", StaffMembers.Test, default);

        Assert.True(outcome.Done);
        Assert.Equal(2, outcome.ActorsChanged);
        Assert.Equal(["sante-social"], ActorEntity.SplitList((await ActorAsync(services, both)).Sectors));
        Assert.Equal(["sante-social"], ActorEntity.SplitList((await ActorAsync(services, one)).Sectors));
        Assert.Equal(["culture"], ActorEntity.SplitList((await ActorAsync(services, other)).Sectors));
        Assert.Equal("test", (await ActorAsync(services, one)).UpdatedBy);
        var sectors = (await services.Get<VocabularyStore>().CurrentAsync(default)).Sectors;
        Assert.Equal("sante-social", sectors.Find("logement")?.Code);
        Assert.Equal("Santé, action sociale", sectors.Label("habitat"));
        Assert.False(sectors.IsCode("habitat"));
        Assert.True(sectors.Knows("habitat"));
    }

    [Fact]
    public async Task RetiringASectorTakesItOffTheActorsAndAKindInUseOrAPersonKindStays()
    {
        await using var services = await FormsTestServices.StartAsync();
        var service = services.Get<VocabularyService>();
        var id = await CreateAsync(services, "Fonds local", "fondation", ["finance", "culture"], []);

        var retired = await service.RetireAsync(VocabularyName.Sectors, "finance", StaffMembers.Test, default);
        var kindInUse = await service.RetireAsync(VocabularyName.Kinds, "fondation", StaffMembers.Test, default);
        var personKind = await service.RetireAsync(VocabularyName.Kinds, "etudiant", StaffMembers.Test, default);
        var personIntoStructure = await service.MergeAsync(VocabularyName.Kinds, "individu", "association", StaffMembers.Test, default);

        Assert.True(retired.Done);
        Assert.Equal(["culture"], ActorEntity.SplitList((await ActorAsync(services, id)).Sectors));
        Assert.Null((await services.Get<VocabularyStore>().CurrentAsync(default)).Sectors.Find("finance"));
        Assert.Contains("1 fiche est de ce type", kindInUse.Errors.Of("terme"), StringComparison.Ordinal);
        Assert.Contains("ne peuvent pas être retirés", personKind.Errors.Of("terme"), StringComparison.Ordinal);
        Assert.Contains("type de personne", personIntoStructure.Errors.Of("dans"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATermAlreadyKnownUnderAnotherSpellingIsNotAddedTwice()
    {
        await using var services = await FormsTestServices.StartAsync();
        var service = services.Get<VocabularyService>();

        var sameLabel = await service.AddAsync(VocabularyName.Sectors, "  culture, LOISIRS ", StaffMembers.Test, default);
        var synonym = await service.AddAsync(VocabularyName.Sectors, "Économie circulaire", StaffMembers.Test, default);
        var added = await service.AddAsync(VocabularyName.Sectors, "Tiers-lieux", StaffMembers.Test, default);

        Assert.Equal("« Culture, loisirs » existe déjà.", sameLabel.Errors.Of("libelle"));
        Assert.Equal("« Économie circulaire » désigne déjà « Réemploi, recyclage » (c'est l'une de ses autres écritures).", synonym.Errors.Of("libelle"));
        Assert.Equal("tiers-lieux", added.Term!.RowKey);
        Assert.Equal("tiers-lieux", (await services.Get<VocabularyStore>().CurrentAsync(default)).Sectors.Find("tiers lieux")?.Code);
    }

    [Fact]
    public async Task ThePorteurIntakeAcceptsTheSectorsOfTheDirectoryAsTheyStandNow()
    {
        await using var services = await FormsTestServices.StartAsync();
        static string Intake(string sector) =>
            $$"""
            {"firstName":"Awa","lastName":"Diallo","email":"awa@exemple.fr","phone":"0612345678","commune":"35238",
             "projectTitle":"Un tiers-lieu","projectDescription":"Un lieu partagé entre associations du quartier.",
             "sector":"{{sector}}","stage":"idee","legalStatus":"ne-sait-pas","needs":["local"],"consent":true}
            """;
        var before = await services.Get<PorteurService>().SubmitAsync(services.Json(Intake("tiers-lieux")), default);

        await services.Get<VocabularyService>().AddAsync(VocabularyName.Sectors, "Tiers-lieux", StaffMembers.Test, default);
        await services.Get<VocabularyService>().RetireAsync(VocabularyName.Sectors, "autre", StaffMembers.Test, default);
        var added = await services.Get<PorteurService>().SubmitAsync(services.Json(Intake("tiers-lieux")), default);
        var retired = await services.Get<PorteurService>().SubmitAsync(services.Json(Intake("autre")), default);

        Assert.Null(before.Receipt);
        Assert.NotNull(added.Receipt);
        Assert.Null(retired.Receipt);
    }

    [Fact]
    public async Task AnImportCreatesTheTermsDecidedAndTheNextImportRemembersTheDecisions()
    {
        await using var services = await FormsTestServices.StartAsync();
        var importer = services.Get<ActorImporter>();
        var file = Encoding.UTF8.GetBytes("Nom;Type;Secteur(s);Commune\r\nLe SEL;Association;Échanges réciproques (SEL);Rennes\r\nJumelage;Association;Solidarité internationale;Bruz\r\n");
        var read = importer.Read(file, SheetLayout.Detect);
        var sheet = StaffSpreadsheet.Map(read.Sheet, read.Sheet.RecognisedColumns);
        var unknown = ActorImporter.UnknownValues(sheet, await services.Get<VocabularyStore>().CurrentAsync(default));
        var decisions = new ValueDecisions();
        decisions.Decide(VocabularyName.Sectors, new ValueDecision("Échanges réciproques (SEL)", ValueAction.Create));
        decisions.Decide(VocabularyName.Sectors, new ValueDecision("Solidarité internationale", ValueAction.Tag));

        var plan = await importer.PlanAsync(read, sheet, decisions, dryRun: false, StaffMembers.Test, default);
        var written = await importer.WriteAsync(plan, StaffMembers.Test, progress: null);

        Assert.Equal(["Échanges réciproques (SEL)", "Solidarité internationale"], unknown.Select(u => u.Value));
        Assert.Equal(2, written);
        var actors = await services.Get<ActorStore>().ScanAsync(null, default).ToListAsync();
        Assert.Equal(["echanges-reciproques-sel"], ActorEntity.SplitList(actors.Single(a => a.Name == "Le SEL").Sectors));
        Assert.Equal(["Solidarité internationale"], ActorEntity.SplitList(actors.Single(a => a.Name == "Jumelage").Tags));

        // The JSON endpoint's import reads the decisions remembered: a new row with the same value is a tag, not refused.
        var next = await importer.ImportAsync(Encoding.UTF8.GetBytes("Nom;Type;Secteurs;Commune\r\nComité de jumelage;Association;solidarite internationale;Pacé\r\n"), dryRun: false, skipRejected: false, StaffMembers.Test, default);
        Assert.Equal(ImportStatus.Completed, next.Status);
        var comite = (await services.Get<ActorStore>().ScanAsync(null, default).ToListAsync()).Single(a => a.Name == "Comité de jumelage");
        Assert.Equal(["Solidarité internationale"], ActorEntity.SplitList(comite.Tags));
        Assert.Null(comite.Sectors);
    }

    [Fact]
    public async Task AStagedSpreadsheetIsFoundAndErasedByTheKeyedHashOfAnAddressItHolds()
    {
        await using var services = await FormsTestServices.StartAsync();
        var (staged, refusal) = await services.Get<ImportWizard>().UploadAsync(
            StaffMembers.Test, "contacts.csv", Encoding.UTF8.GetBytes("Nom;E-mail\r\nCamille;camille.durand@courriel.example\r\nLoïc;loic@etu.example\r\n"), default);
        Assert.Null(refusal);
        var store = services.Get<IEnumerable<IPersonalDataStore>>().OfType<ImportStagingPersonalData>().Single();
        var subject = new PersonalDataSubject(EmailAddress.Parse("Camille.Durand@courriel.example"), services.Get<EmailHasher>().Hash(EmailAddress.Parse("camille.durand@courriel.example")));
        var stranger = new PersonalDataSubject(EmailAddress.Parse("personne@ailleurs.example"), services.Get<EmailHasher>().Hash(EmailAddress.Parse("personne@ailleurs.example")));

        var found = await store.FindAsync(subject, default);
        var nothing = await store.FindAsync(stranger, default);
        var erased = await store.EraseAsync(subject, default);

        Assert.Equal("contacts.csv", Assert.Single(found)["fileName"]!.GetValue<string>());
        Assert.Empty(nothing);
        Assert.Equal(1, erased);
        Assert.Null(await services.Get<ImportStaging>().GetAsync(staged!.State.Id, default));
    }
}
