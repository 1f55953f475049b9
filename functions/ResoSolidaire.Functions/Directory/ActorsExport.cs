using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

/// <summary>The directory of actors, with the list's filters (kind, status, sector, epci, commune, quartier, tag, newsletter, q) and the creation date.</summary>
public sealed class ActorsExport(ActorStore store, VocabularyStore vocabularies) : IExportDataset
{
    public string Slug => "actors";

    public string FileStem => "acteurs";

    public string Title => "Annuaire des acteurs";

    public string? DateRangeLabel => "Ajoutés";

    public Task<IReadOnlyList<ExportFilter>> FiltersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ExportFilter>>(
    [
        new("kind", "Type d'acteur", [.. ActorKinds.Terms.All.Select(t => new ExportChoice(t.Code, t.Label))]),
        new("sector", "Secteur", [.. Sectors.Terms.All.Select(t => new ExportChoice(t.Code, t.Label))]),
        new("epci", "EPCI", [.. CommuneDirectory.PaysDeRennesEpcis.Select(e => new ExportChoice(e.Key, e.Value))]),
        new("status", "Statut juridique", Hint: "Tel qu'il est écrit dans l'annuaire, par exemple « SCOP »."),
        new("tag", "Étiquette"),
        new("newsletter", "Lettre d'information", [new("true", "Reçoit la lettre"), new("false", "Ne la reçoit pas")]),
        new("review", "À revoir", [new("true", "Personnes sans contact depuis la durée de conservation")]),
        new("q", "Nom contient"),
    ]);

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("id", "Identifiant"),
        new("name", "Nom"),
        new("kind", "Type"),
        new("legalStatus", "Statut juridique"),
        new("siret", "SIRET"),
        new("sectors", "Secteurs"),
        new("commune", "Commune"),
        new("communeInsee", "Code INSEE"),
        new("epci", "EPCI"),
        new("quartier", "Quartier"),
        new("address", "Adresse"),
        new("postalCode", "Code postal"),
        new("emails", "E-mails"),
        new("phones", "Téléphones"),
        new("website", "Site web"),
        new("tags", "Étiquettes"),
        new("newsletter", "Newsletter"),
        new("consentDate", "Consentement le"),
        new("consentSource", "Source du consentement"),
        new("consentTextVersion", "Version du texte de consentement"),
        new("reviewSince", "À revoir depuis"),
        new("notes", "Notes"),
        new("createdAt", "Créé le"),
        new("createdBy", "Créé par"),
        new("updatedAt", "Modifié le"),
        new("updatedBy", "Modifié par"),
    ];

    public async Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var vocabulary = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var filter = ActorQuery.Parse(query, vocabulary, errors);
        var (actorFilter, local) = store.Filters(filter, vocabulary);
        var storageFilter = ExportPages.And(
        [
            actorFilter,
            range.Start is { } start ? TableClient.CreateQueryFilter($"CreatedAt ge {start}") : null,
            range.End is { } end ? TableClient.CreateQueryFilter($"CreatedAt lt {end}") : null,
        ]);
        var table = await store.TableAsync(cancellationToken).ConfigureAwait(false);
        return new ExportPlan(ct => ExportPages.ReadAsync(table, storageFilter, local, a => Row(a, vocabulary), ct));
    }

    private static object?[] Row(ActorEntity a, DirectoryVocabularies vocabulary) =>
    [
        a.RowKey,
        a.Name,
        vocabulary.Kinds.Label(a.Kind),
        a.LegalStatus,
        a.Siret,
        Labels(a.Sectors, vocabulary.Sectors),
        a.CommuneName,
        a.CommuneInsee,
        a.Epci is null ? null : CommuneDirectory.PaysDeRennesEpcis.GetValueOrDefault(a.Epci, a.Epci),
        a.Quartier is null ? null : Quartiers.Find(a.Quartier)?.Name ?? a.Quartier,
        a.Address,
        a.PostalCode,
        List(a.Emails),
        List(a.Phones),
        a.Website,
        List(a.Tags),
        a.Newsletter,
        a.ConsentDate,
        a.ConsentSource,
        a.ConsentTextVersion,
        a.ReviewSince,
        a.Notes,
        a.CreatedAt,
        a.CreatedBy,
        a.UpdatedAt,
        a.UpdatedBy,
    ];

    private static string? List(string? lines) => lines?.Replace("\n", ", ", StringComparison.Ordinal);

    private static string? Labels(string? codes, Vocabulary labels) =>
        codes is null ? null : string.Join(", ", codes.Split(ActorEntity.ListSeparator).Select(labels.Label));
}
