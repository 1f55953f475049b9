namespace ResoSolidaire.Functions.Porteurs.FollowUp;

/// <summary>A case in a list.</summary>
public sealed record CaseSummaryDto(
    string Reference,
    DateTimeOffset ReceivedAt,
    string Name,
    string ProjectTitle,
    string Sector,
    string SectorLabel,
    string CommuneInsee,
    string Commune,
    string? Epci,
    bool InPaysDeRennes,
    string Phase,
    string PhaseLabel,
    string? Assignee,
    string? NextActionDate,
    string? NextActionLabel,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy);

public sealed record CasePage(IReadOnlyList<CaseSummaryDto> Items, string? Continuation);

public sealed record CaseAttachmentDto(int Number, string Name, string ContentType, long Size, string DownloadUrl);

public sealed record CaseOrientationDto(string ActorId, string ActorName, string? Comment, DateTimeOffset At, string By);

public sealed record TimelineEntryDto(
    DateTimeOffset At,
    string By,
    string Kind,
    string Summary,
    string? PhaseFrom,
    string? PhaseTo,
    string? Assignee,
    string? Date,
    string? Text,
    string? ActorId,
    string? ActorName,
    string? ByObjectId = null);

/// <summary>A case with its intake, its state, the phases it may move to and its timeline (oldest first).</summary>
public sealed record CaseDetailDto(
    CaseSummaryDto Case,
    string FirstName,
    string LastName,
    string Email,
    string Phone,
    string? PostalCode,
    string ProjectDescription,
    string Stage,
    string LegalStatus,
    IReadOnlyList<string> Needs,
    string? HeardFrom,
    IReadOnlyList<CaseAttachmentDto> Attachments,
    IReadOnlyList<string> AllowedPhases,
    IReadOnlyList<CaseOrientationDto> Orientations,
    IReadOnlyList<TimelineEntryDto> Timeline);

public sealed record PhaseChangeInput(string? Phase, string? Comment);

public sealed record AssigneeInput(string? Assignee);

public sealed record NoteInput(string? Text, string? Date);

public sealed record OrientationInput(string? ActorId, string? Comment);

public sealed record NextActionInput(string? Date, string? Label);
