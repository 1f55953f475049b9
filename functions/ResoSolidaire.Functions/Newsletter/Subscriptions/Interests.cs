namespace ResoSolidaire.Functions.Newsletter.Subscriptions;

/// <summary>The interests a subscriber may pick: the four EPCIs of the Pays de Rennes and the sectors of the directory.</summary>
public static class Interests
{
    public static readonly IReadOnlyDictionary<string, string> Territories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["243500139"] = "Rennes Métropole",
        ["243500667"] = "Val d'Ille-Aubigné",
        ["243500774"] = "Liffré-Cormier Communauté",
        ["243500659"] = "Pays de Châteaugiron Communauté",
    };

    public static readonly IReadOnlyDictionary<string, string> Sectors = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["alimentation"] = "Alimentation et agriculture",
        ["culture"] = "Culture et loisirs",
        ["environnement"] = "Environnement et réemploi",
        ["habitat"] = "Habitat et logement",
        ["insertion"] = "Insertion et emploi",
        ["mobilite"] = "Mobilité",
        ["numerique"] = "Numérique",
        ["sante-social"] = "Santé et action sociale",
        ["finance"] = "Finance solidaire",
        ["education"] = "Éducation et formation",
    };

    /// <summary>Keeps the known values only, in the reference order, comma-joined for storage.</summary>
    public static string Keep(IEnumerable<string>? values, IReadOnlyDictionary<string, string> known)
    {
        var given = (values ?? []).Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
        return string.Join(',', known.Keys.Where(given.Contains));
    }
}
