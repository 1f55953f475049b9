using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

public sealed record EpciDto(string Code, string Name, int Communes);

public sealed record CommuneDto(string InseeCode, string Name, IReadOnlyList<string> PostalCodes, string Epci);

public sealed record QuartierDto(string Code, int Number, string Name);

/// <summary>A sector of activity the website's forms offer: the code to send, the label to show.</summary>
public sealed record SectorDto(string Code, string Label);

/// <summary>The reference data of the territory and the sectors of activity, for the website's dropdowns.</summary>
public sealed record TerritoryDto(string Source, IReadOnlyList<EpciDto> Epcis, IReadOnlyList<CommuneDto> Communes, string RennesInseeCode, IReadOnlyList<QuartierDto> Quartiers, IReadOnlyList<SectorDto> Sectors);

/// <summary>
/// Serves the communes of the Pays de Rennes with their EPCI and the quartiers of Rennes, from the official
/// data embedded in the app (see Territory/), and the sectors of activity as staff keep them in the directory's
/// vocabulary (the porteur intake form offers and accepts exactly these). Public and anonymous: it holds nothing
/// personal; browsers and CDNs may keep it five minutes, so that a sector staff add reaches the website soon.
/// </summary>
public sealed class TerritoryFunction(VocabularyStore vocabularies)
{
    private static readonly Lazy<TerritoryDto> Reference = new(Build);

    [Function(nameof(GetTerritory))]
    public async Task<Ok<TerritoryDto>> GetTerritory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "territory")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sectors = await vocabularies.TermsAsync(VocabularyName.Sectors, request.HttpContext.RequestAborted).ConfigureAwait(false);
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(Reference.Value with { Sectors = sectors.Select(t => new SectorDto(t.Code, t.Label)).ToList() });
    }

    private static TerritoryDto Build()
    {
        var communes = CommuneDirectory.Instance.All
            .Where(c => c.InPaysDeRennes && c.EpciCode is not null)
            .OrderBy(c => c.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("fr-FR"), ignoreCase: true))
            .Select(c => new CommuneDto(c.InseeCode, c.Name, c.PostalCodes, c.EpciCode!))
            .ToList();
        var epcis = CommuneDirectory.PaysDeRennesEpcis
            .Select(e => new EpciDto(e.Key, e.Value, communes.Count(c => c.Epci == e.Key)))
            .ToList();
        var quartiers = Quartiers.All.Select(q => new QuartierDto(q.Code, q.Number, q.Name)).ToList();
        var source = CommuneDirectory.Instance.Metadata.GetValueOrDefault("source") ?? "@etalab/decoupage-administratif";
        return new TerritoryDto(source, epcis, communes, Quartiers.RennesInseeCode, quartiers, []);
    }
}
