namespace ResoSolidaire.Functions.Directory;

/// <summary>An actor as staff create or replace it (PUT sends the whole actor).</summary>
public sealed record ActorInput(
    string? Name,
    string? Kind,
    string? LegalStatus,
    string? Siret,
    IReadOnlyList<string?>? Sectors,
    string? CommuneInsee,
    string? Quartier,
    string? Address,
    string? PostalCode,
    IReadOnlyList<string?>? Emails,
    IReadOnlyList<string?>? Phones,
    string? Website,
    IReadOnlyList<string?>? Tags,
    bool? Newsletter,
    string? Notes,
    ActorConsentInput? Consent = null);

/// <summary>
/// A person's consent to mailings as staff record it: the day it was given (AAAA-MM-JJ), where (« bulletin
/// papier, AG 2026 ») and the version of the text agreed to. The three go together.
/// </summary>
public sealed record ActorConsentInput(string? Date, string? Source, string? TextVersion);

/// <summary>A recorded consent, as stored and shown.</summary>
public sealed record ActorConsent(string Date, string Source, string TextVersion);

/// <summary>An actor as the API shows it. Its version travels in the ETag header, never in the body.</summary>
public sealed record ActorDto(
    string Id,
    string Name,
    string Kind,
    string KindLabel,
    string? LegalStatus,
    string? Siret,
    IReadOnlyList<string> Sectors,
    string? CommuneInsee,
    string? Commune,
    string? Epci,
    string? EpciName,
    string? Quartier,
    string? QuartierName,
    string? Address,
    string? PostalCode,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> Phones,
    string? Website,
    IReadOnlyList<string> Tags,
    bool Newsletter,
    ActorConsent? Consent,
    string? Notes,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset? ReviewSince);

/// <summary>The filters of the actor list; every one is optional and they combine (and).</summary>
public sealed record ActorFilter(
    string? Kind = null,
    string? Status = null,
    string? Sector = null,
    string? Epci = null,
    string? Commune = null,
    string? Quartier = null,
    string? Tag = null,
    bool? Newsletter = null,
    string? Search = null,
    bool? Review = null);

/// <summary>A list page of actors.</summary>
public sealed record ActorPage(IReadOnlyList<ActorDto> Items, string? Continuation);
