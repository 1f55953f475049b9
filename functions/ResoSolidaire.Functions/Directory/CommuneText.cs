using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The commune staff mean when they type one (a spreadsheet cell, a console field): an INSEE code, a name with its
/// postal code, or a name alone when one commune of the Pays de Rennes bears it. Otherwise a French reason.
/// </summary>
public static class CommuneText
{
    public static (Commune? Commune, string? Problem) Resolve(string text, string? postalCode)
    {
        ArgumentNullException.ThrowIfNull(text);
        var communes = CommuneDirectory.Instance;
        var lookup = communes.Resolve(text, postalCode);
        if (lookup.Match == CommuneMatch.Found)
        {
            return (lookup.Commune, null);
        }

        if (lookup.Match == CommuneMatch.UnknownInseeCode)
        {
            return (null, $"Code INSEE inconnu : « {text.Trim()} ».");
        }

        // Staff often write the name alone: it is enough when one commune of the Pays de Rennes bears it.
        var key = CommuneDirectory.NameKey(text);
        var local = communes.All.Where(c => c.InPaysDeRennes && CommuneDirectory.NameKey(c.Name) == key).ToList();
        if (local.Count == 1 && (postalCode is null || local[0].PostalCodes.Contains(postalCode.Replace(" ", "", StringComparison.Ordinal))))
        {
            return (local[0], null);
        }

        return (null, postalCode is null
            ? $"Commune introuvable : « {text.Trim()} ». Indiquez son code postal ou son code INSEE."
            : $"Commune introuvable : « {text.Trim()} » au code postal {postalCode}.");
    }
}
