using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Directory;

/// <summary>The directory as a newsletter audience source, against Azurite.</summary>
public sealed class DirectoryAudienceSourceTests
{
    private static async Task<(ActorStore Store, DirectoryAudienceSource Source)> StartAsync()
    {
        var azurite = await AzuriteServer.SharedAsync();
        var names = new StorageNames(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = AzuriteServer.UniquePrefix() }));
        var storage = new StorageProvisioning(azurite.Tables(), azurite.Blobs(), names, [new(StorageKind.Table, ActorStore.TableName), new(StorageKind.Table, VocabularyStore.TableName)]);
        var vocabularies = new VocabularyStore(storage, TimeProvider.System, NullLogger<VocabularyStore>.Instance);
        var store = new ActorStore(storage, Newsletter.NewsletterBackend.Hasher, vocabularies, TimeProvider.System, NullLogger<ActorStore>.Instance);
        return (store, new DirectoryAudienceSource(store, vocabularies));
    }

    private static async Task AddAsync(ActorStore store, string name, string kind, string commune, string[] sectors, string[] emails, bool newsletter = true)
    {
        var (fields, errors) = ActorRules.Validate(new ActorInput(name, kind, null, null, sectors, commune, null, null, null, emails, null, null, ["réseau"], newsletter, null), DirectoryVocabularies.Seed);
        Assert.True(fields is not null, string.Join(" ", errors.Values.SelectMany(e => e)));
        await store.CreateAsync(fields, StaffMembers.Test, default);
    }

    private static async Task<List<AudienceMember>> ListAsync(DirectoryAudienceSource source, AudienceSegment segment)
    {
        var members = new List<AudienceMember>();
        await foreach (var member in source.ListAsync(segment, default))
        {
            Assert.True(segment.Matches(member), $"{member.Email} does not match the segment it was listed for.");
            members.Add(member);
        }

        return members;
    }

    [Fact]
    public async Task ActorsWithAnEmailWhoHaveNotOptedOutAreListedAtTheirMainAddress()
    {
        var (store, source) = await StartAsync();
        await AddAsync(store, "Asso Rennes", "association", "35238", ["insertion-emploi"], ["main@asso.example", "autre@asso.example"]);
        await AddAsync(store, "Coop Liffré", "cooperative", "35152", ["culture"], ["coop@liffre.example"]);
        await AddAsync(store, "Désinscrite", "association", "35238", ["culture"], ["non@asso.example"], newsletter: false);
        await AddAsync(store, "Sans e-mail", "association", "35238", ["culture"], []);

        var everyone = await ListAsync(source, AudienceSegment.Everyone);

        Assert.Equal(["coop@liffre.example", "main@asso.example"], everyone.Select(m => m.Email).Order(StringComparer.Ordinal));
        Assert.All(everyone, m => Assert.Equal("annuaire", m.Source));
    }

    [Fact]
    public async Task APersonIsListedOnlyWithARecordedConsentWhateverTheStoredPreferenceSays()
    {
        var (store, source) = await StartAsync();
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

        var everyone = await ListAsync(source, AudienceSegment.Everyone);

        Assert.Equal(["2000000000000002@exemple.fr"], everyone.Select(m => m.Email));
    }

    [Fact]
    public async Task SegmentsByTerritoryKindSectorAndTagAreHonoured()
    {
        var (store, source) = await StartAsync();
        await AddAsync(store, "Asso Rennes", "association", "35238", ["insertion-emploi"], ["rennes@asso.example"]);
        await AddAsync(store, "Coop Liffré", "cooperative", "35152", ["culture"], ["coop@liffre.example"]);

        Assert.Equal(["coop@liffre.example"], (await ListAsync(source, new AudienceSegment(Territory: "243500774"))).Select(m => m.Email));
        Assert.Equal(["rennes@asso.example"], (await ListAsync(source, new AudienceSegment(Territory: "35238"))).Select(m => m.Email));
        Assert.Equal(["coop@liffre.example"], (await ListAsync(source, new AudienceSegment(Kind: "cooperative"))).Select(m => m.Email));
        Assert.Equal(["rennes@asso.example"], (await ListAsync(source, new AudienceSegment(Sector: "insertion"))).Select(m => m.Email));
        Assert.Equal(2, (await ListAsync(source, new AudienceSegment(Tag: "Réseau"))).Count);
        Assert.Empty(await ListAsync(source, new AudienceSegment(Sector: "armement")));
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
