using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Territory;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Directory;

/// <summary>The directory as a newsletter audience source and as the source of the values a segment may take, against Azurite.</summary>
public sealed class DirectoryAudienceSourceTests
{
    private static async Task<(ActorStore Store, DirectoryAudienceSource Source, DirectoryAudienceCriteria Criteria)> StartAsync()
    {
        var azurite = await AzuriteServer.SharedAsync();
        var names = new StorageNames(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = AzuriteServer.UniquePrefix() }));
        var storage = new StorageProvisioning(azurite.Tables(), azurite.Blobs(), names, [new(StorageKind.Table, ActorStore.TableName), new(StorageKind.Table, VocabularyStore.TableName)]);
        var vocabularies = new VocabularyStore(storage, TimeProvider.System, NullLogger<VocabularyStore>.Instance);
        var store = new ActorStore(storage, Newsletter.NewsletterBackend.Hasher, vocabularies, TimeProvider.System, NullLogger<ActorStore>.Instance);
        return (store, new DirectoryAudienceSource(store, vocabularies), new DirectoryAudienceCriteria(vocabularies));
    }

    private static async Task AddAsync(ActorStore store, string name, string kind, string commune, string[] sectors, string[] emails, bool newsletter = true, string? quartier = null, string tag = "réseau")
    {
        var (fields, errors) = ActorRules.Validate(new ActorInput(name, kind, null, null, sectors, commune, quartier, null, null, emails, null, null, [tag], newsletter, null), DirectoryVocabularies.Seed);
        Assert.True(fields is not null, string.Join(" ", errors.Values.SelectMany(e => e)));
        await store.CreateAsync(fields, StaffMembers.Test, default);
    }

    /// <summary>What the audience keeps of the source's list: the members the segment's filter accepts.</summary>
    private static async Task<List<AudienceMember>> ListAsync(DirectoryAudienceCriteria values, DirectoryAudienceSource source, AudienceSegment segment)
    {
        var criteria = new AudienceCriteria([values], CommuneDirectory.Instance, TimeProvider.System);
        var filter = await criteria.FilterAsync(segment, default);
        var members = new List<AudienceMember>();
        await foreach (var member in source.ListAsync(segment, default))
        {
            if (filter.Matches(member))
            {
                members.Add(member);
            }
        }

        return members;
    }

    [Fact]
    public async Task ActorsWithAnEmailWhoHaveNotOptedOutAreListedAtTheirMainAddress()
    {
        var (store, source, criteria) = await StartAsync();
        await AddAsync(store, "Asso Rennes", "association", "35238", ["insertion-emploi"], ["main@asso.example", "autre@asso.example"]);
        await AddAsync(store, "Coop Liffré", "cooperative", "35152", ["culture"], ["coop@liffre.example"]);
        await AddAsync(store, "Désinscrite", "association", "35238", ["culture"], ["non@asso.example"], newsletter: false);
        await AddAsync(store, "Sans e-mail", "association", "35238", ["culture"], []);

        var everyone = await ListAsync(criteria, source, AudienceSegment.Everyone);

        Assert.Equal(["coop@liffre.example", "main@asso.example"], everyone.Select(m => m.Email).Order(StringComparer.Ordinal));
        Assert.All(everyone, m => Assert.Equal("annuaire", m.Source));
    }

    [Fact]
    public async Task APersonIsListedOnlyWithARecordedConsentWhateverTheStoredPreferenceSays()
    {
        var (store, source, criteria) = await StartAsync();
        var table = await store.TableAsync(default);
        foreach (var (id, consent) in new[] { ("1000000000000001", (string?)null), ("2000000000000002", "2026-03-14") })
        {
            // As a row written before consents were recorded may be: a person with the newsletter on.
            await table.AddEntityAsync(new ActorEntity
            {
                PartitionKey = ActorEntity.PartitionOf(id),
                RowKey = id,
                Name = "Personne " + id,
                Kind = "individu",
                Emails = id + "@exemple.fr",
                Newsletter = true,
                ConsentDate = consent,
                ConsentSource = consent is null ? null : "bulletin papier, AG 2026",
                ConsentTextVersion = consent is null ? null : "2026-01",
            });
        }

        var everyone = await ListAsync(criteria, source, AudienceSegment.Everyone);

        Assert.Equal(["2000000000000002@exemple.fr"], everyone.Select(m => m.Email));
    }

    [Fact]
    public async Task SegmentsByPlaceKindSectorAndTagAreHonouredAndSeveralValuesOfACriterionWidenIt()
    {
        var (store, source, criteria) = await StartAsync();
        await AddAsync(store, "Asso Rennes", "association", "35238", ["insertion-emploi"], ["rennes@asso.example"], quartier: "le-blosne");
        await AddAsync(store, "Coop Liffré", "cooperative", "35152", ["culture"], ["coop@liffre.example"], tag: "Réseau");
        await AddAsync(store, "Asso Cesson", "association", "35051", ["mobilite"], ["cesson@asso.example"], tag: "forum");

        async Task<IEnumerable<string>> Emails(AudienceSegment segment) => (await ListAsync(criteria, source, segment)).Select(m => m.Email).Order(StringComparer.Ordinal);

        Assert.Equal(["coop@liffre.example"], await Emails(new AudienceSegment { Epcis = ["243500774"] }));
        Assert.Equal(["cesson@asso.example", "rennes@asso.example"], await Emails(new AudienceSegment { Epcis = ["243500139"] }));
        Assert.Equal(["rennes@asso.example"], await Emails(new AudienceSegment { Communes = ["35238"] }));
        Assert.Equal(["rennes@asso.example"], await Emails(new AudienceSegment { Quartiers = ["le-blosne"] }));
        Assert.Empty(await Emails(new AudienceSegment { Quartiers = ["centre"] }));
        Assert.Equal(["cesson@asso.example", "coop@liffre.example"], await Emails(new AudienceSegment { Communes = ["35051"], Epcis = ["243500774"] }));
        Assert.Equal(["coop@liffre.example"], await Emails(new AudienceSegment { Kinds = ["cooperative"] }));
        Assert.Equal(["rennes@asso.example"], await Emails(new AudienceSegment { Sectors = ["insertion-emploi"] }));
        Assert.Equal(["cesson@asso.example", "rennes@asso.example"], await Emails(new AudienceSegment { Sectors = ["insertion-emploi", "mobilite"] }));
        Assert.Equal(["coop@liffre.example", "rennes@asso.example"], await Emails(new AudienceSegment { Tags = ["réseau"] }));
        Assert.Equal(["cesson@asso.example"], await Emails(new AudienceSegment { Epcis = ["243500139"], Sectors = ["mobilite"], Kinds = ["association"] }));
    }

    [Fact]
    public async Task TheDirectoryOffersItsSectorsKindsAndTheTagsItsActorsCarryOncePerSpelling()
    {
        var (store, _, criteria) = await StartAsync();
        await AddAsync(store, "Asso Rennes", "association", "35238", ["culture"], ["rennes@asso.example"], tag: "Réseau");
        await AddAsync(store, "Coop Liffré", "cooperative", "35152", ["culture"], ["coop@liffre.example"], tag: "reseau");

        var values = await criteria.ReadAsync(default);

        Assert.Contains(values.Sectors, v => v.Code == "mobilite" && v.Label == "Mobilité");
        Assert.Contains(values.Sectors, v => v.Code == "insertion-emploi" && v.Spellings!.Contains("insertion"));
        Assert.Contains(values.Kinds, v => v.Code == "association" && v.Label == "Association");
        Assert.Single(values.Tags);
    }

    [Fact]
    public async Task TheAppRegistersTheDirectoryAfterTheSubscribers()
    {
        await using var services = await FormsTestServices.StartAsync();

        var sources = services.Get<IEnumerable<INewsletterAudienceSource>>().ToList();

        Assert.IsType<DirectoryAudienceSource>(sources[^1]);
        Assert.True(sources.Count >= 2);
    }
}
