namespace ResoSolidaire.Functions.Territory;

/// <summary>A current French commune, as the official data describes it.</summary>
public sealed record Commune(string InseeCode, string Name, IReadOnlyList<string> PostalCodes, string? EpciCode, bool InPaysDeRennes);

/// <summary>What became of a commune given by a person: found, unknown, or a postal code that does not match.</summary>
public enum CommuneMatch
{
    Found,
    UnknownInseeCode,
    UnknownPostalCode,
    NameNotAtPostalCode,
    Missing,
}

public sealed record CommuneLookup(CommuneMatch Match, Commune? Commune);
