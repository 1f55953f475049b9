using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

/// <summary>The validated content of an actor, whatever its source (the API or a spreadsheet).</summary>
public sealed record ActorFields(
    string Name,
    string Kind,
    string? LegalStatus,
    string? Siret,
    IReadOnlyList<string> Sectors,
    Commune? Commune,
    string? Quartier,
    string? Address,
    string? PostalCode,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> Phones,
    string? Website,
    IReadOnlyList<string> Tags,
    bool Newsletter,
    string? Notes,
    ActorConsent? Consent = null);
