using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

public sealed record EpciDto(string Code, string Name, int Communes);

public sealed record CommuneDto(string InseeCode, string Name, IReadOnlyList<string> PostalCodes, string Epci);

public sealed record QuartierDto(string Code, int Number, string Name);

/// <summary>The reference data of the territory, for the website's dropdowns.</summary>
public sealed record TerritoryDto(string Source, IReadOnlyList<EpciDto> Epcis, IReadOnlyList<CommuneDto> Communes, string RennesInseeCode, IReadOnlyList<QuartierDto> Quartiers);

/// <summary>
/// Serves the communes of the Pays de Rennes with their EPCI and the quartiers of Rennes, from the official
/// data embedded in the app (see Territory/). Public and anonymous: it holds nothing personal, and browsers
/// and CDNs may keep it a day.
/// </summary>
public sealed class TerritoryFunction
{
    private static readonly Lazy<TerritoryDto> Reference = new(Build);

    [Function(nameof(GetTerritory))]
    public Ok<TerritoryDto> GetTerritory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "territory")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.Ok(Reference.Value);
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
        return new TerritoryDto(source, epcis, communes, Quartiers.RennesInseeCode, quartiers);
    }
}
