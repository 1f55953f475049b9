using System.Text.RegularExpressions;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

/// <summary>Reads the list filters from the query string, naming in French the values it cannot use.</summary>
public static partial class ActorQuery
{
    public static ActorFilter Parse(IQueryCollection query, DirectoryVocabularies vocabulary, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(errors);
        string? Value(string name) => query[name].ToString().Trim() is { Length: > 0 } v ? v : null;

        string? kind = null;
        if (Value("kind") is { } kindText)
        {
            kind = vocabulary.Kinds.Find(kindText)?.Code;
            if (kind is null)
            {
                errors["kind"] = [$"Type d'acteur inconnu : « {kindText} » (valeurs possibles : {vocabulary.Kinds.Codes})."];
            }
        }

        string? sector = null;
        if (Value("sector") is { } sectorText)
        {
            sector = vocabulary.Sectors.Find(sectorText)?.Code;
            if (sector is null)
            {
                errors["sector"] = [$"Secteur inconnu : « {sectorText} » (valeurs possibles : {vocabulary.Sectors.Codes})."];
            }
        }

        var epci = Value("epci");
        if (epci is not null && !EpciPattern().IsMatch(epci))
        {
            errors["epci"] = ["Le code EPCI est un numéro SIREN de 9 chiffres (par exemple 243500139 pour Rennes Métropole)."];
        }

        var commune = Value("commune");
        if (commune is not null && CommuneDirectory.Instance.FindByInseeCode(commune) is null)
        {
            errors["commune"] = [$"Code INSEE de commune inconnu : « {commune} »."];
        }

        string? quartier = null;
        if (Value("quartier") is { } quartierText)
        {
            quartier = ActorRules.FindQuartier(quartierText)?.Code;
            if (quartier is null)
            {
                errors["quartier"] = [$"Quartier de Rennes inconnu : « {quartierText} »."];
            }
        }

        bool? newsletter = null;
        if (Value("newsletter") is { } newsletterText)
        {
            newsletter = YesNo.Parse(newsletterText);
            if (newsletter is null)
            {
                errors["newsletter"] = ["Le filtre newsletter vaut true (abonnés) ou false (désinscrits)."];
            }
        }

        bool? review = null;
        if (Value("review") is { } reviewText)
        {
            review = YesNo.Parse(reviewText);
            if (review is null)
            {
                errors["review"] = ["Le filtre review vaut true (personnes sans contact depuis la durée de conservation, à revoir) ou false."];
            }
        }

        return new ActorFilter(kind, Value("status"), sector, epci, commune, quartier, Value("tag"), newsletter, Value("q"), review);
    }

    [GeneratedRegex("^[0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex EpciPattern();
}
