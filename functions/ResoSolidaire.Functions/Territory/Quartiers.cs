namespace ResoSolidaire.Functions.Territory;

/// <summary>One of the twelve official quartiers of the city of Rennes.</summary>
public sealed record Quartier(int Number, string Code, string Name);

/// <summary>
/// The twelve quartiers of Rennes, as the city numbers and names them (Ville de Rennes, "les 12
/// quartiers", also published on data.rennesmetropole.fr as "Périmètres des quartiers"). Kept for the
/// directory, where an actor of Rennes (INSEE 35238) may be placed in a quartier.
/// </summary>
public static class Quartiers
{
    public const string RennesInseeCode = "35238";

    public static IReadOnlyList<Quartier> All { get; } =
    [
        new(1, "centre", "Centre"),
        new(2, "thabor-saint-helier-alphonse-guerin", "Thabor - Saint-Hélier - Alphonse Guérin"),
        new(3, "bourg-l-eveque-la-touche-moulin-du-comte", "Bourg-l'Évêque - La Touche - Moulin du Comte"),
        new(4, "saint-martin", "Saint-Martin"),
        new(5, "maurepas-patton", "Maurepas - Patton"),
        new(6, "jeanne-d-arc-longs-champs-beaulieu", "Jeanne d'Arc - Longs-Champs - Beaulieu"),
        new(7, "francisco-ferrer-landry-poterie", "Francisco Ferrer - Landry - Poterie"),
        new(8, "sud-gare", "Sud-Gare"),
        new(9, "cleunay-arsenal-redon-la-courrouze", "Cleunay - Arsenal-Redon - La Courrouze"),
        new(10, "villejean-beauregard", "Villejean - Beauregard"),
        new(11, "le-blosne", "Le Blosne"),
        new(12, "brequigny", "Bréquigny"),
    ];

    public static Quartier? Find(string code) =>
        All.FirstOrDefault(q => string.Equals(q.Code, code, StringComparison.OrdinalIgnoreCase));
}
