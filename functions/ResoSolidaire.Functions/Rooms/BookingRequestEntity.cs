using System.Runtime.Serialization;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>
/// A booking request as stored in RoomRequests (the forms' ledger: partition « submission », row key the
/// reference SL-2026-0001), from the request to its decision, confirmation or cancellation.
/// </summary>
public sealed class BookingRequestEntity : ISubmissionEntity
{
    public const string ReferencePrefix = "SL";

    public string PartitionKey { get; set; } = SubmissionLedger.Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public bool MailsQueued { get; set; }

    public string RoomId { get; set; } = "";

    /// <summary>The room's name when the request was made (for mails and lists).</summary>
    public string RoomName { get; set; } = "";

    /// <summary>The borrowing structure, when the requester named one: the only thing of the borrower a calendar shows.</summary>
    public string? Structure { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public string EmailHash { get; set; } = "";

    public string? Phone { get; set; }

    public string Purpose { get; set; } = "";

    public int People { get; set; }

    public string StartTime { get; set; } = "";

    public string EndTime { get; set; } = "";

    public string Recurrence { get; set; } = "aucune";

    public string? Until { get; set; }

    /// <summary>The dates asked for and free when asked (yyyy-MM-dd, one a line).</summary>
    public string Dates { get; set; } = "";

    /// <summary>The dates that clashed when asked, « yyyy-MM-dd reason » one a line: not requested.</summary>
    public string? Clashes { get; set; }

    /// <summary>The last date of the request (retention, links' lifetime, lists).</summary>
    public string LastDate { get; set; } = "";

    public string Status { get; set; } = RequestStatus.Pending;

    /// <summary>The dates booked once accepted (yyyy-MM-dd, one a line); set when the booking of every date is done.</summary>
    public string? Confirmed { get; set; }

    /// <summary>The dates taken by someone else between the request and its acceptance, « yyyy-MM-dd reason ».</summary>
    public string? Lost { get; set; }

    public bool BookingDone { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>« contact de la salle », « demandeur » (taking a proposed slot) or the staff member's name.</summary>
    public string? DecidedBy { get; set; }

    public string? DecidedByObjectId { get; set; }

    /// <summary>The contact's message with a refusal or a proposal.</summary>
    public string? Message { get; set; }

    public string? ProposedDate { get; set; }

    public string? ProposedStart { get; set; }

    public string? ProposedEnd { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public string? CancelledBy { get; set; }

    public string? CancelledByObjectId { get; set; }

    /// <summary>Kept by staff past the retention duration.</summary>
    public bool Kept { get; set; }

    public string? ConsentTextVersion { get; set; }

    public DateTimeOffset? ConsentAt { get; set; }

    [IgnoreDataMember]
    public TimeRange Hours => new(TimeOnly.Parse(StartTime, CultureInfo.InvariantCulture), TimeOnly.Parse(EndTime, CultureInfo.InvariantCulture));

    /// <summary>The hours of the slot proposed by the contact, when there is one.</summary>
    [IgnoreDataMember]
    public TimeRange? ProposedHours => ProposedStart is null || ProposedEnd is null
        ? null
        : new(TimeOnly.Parse(ProposedStart, CultureInfo.InvariantCulture), TimeOnly.Parse(ProposedEnd, CultureInfo.InvariantCulture));

    [IgnoreDataMember]
    public IReadOnlyList<DateOnly> DateList => Days(Dates);

    [IgnoreDataMember]
    public IReadOnlyList<DateOnly> ConfirmedList => Days(Confirmed);

    [IgnoreDataMember]
    public IReadOnlyList<(DateOnly Day, string Reason)> ClashList => Reasons(Clashes);

    [IgnoreDataMember]
    public IReadOnlyList<(DateOnly Day, string Reason)> LostList => Reasons(Lost);

    /// <summary>What a calendar shows of the borrower: their structure, never their name.</summary>
    [IgnoreDataMember]
    public string CalendarLabel => string.IsNullOrEmpty(Structure) ? "Réservé" : Structure;

    public static string JoinDays(IEnumerable<DateOnly> days) => string.Join('\n', days.Select(LocalDates.ToText));

    public static string? JoinReasons(IEnumerable<(DateOnly Day, string Reason)> items) =>
        items.Any() ? string.Join('\n', items.Select(i => LocalDates.ToText(i.Day) + " " + i.Reason)) : null;

    private static IReadOnlyList<DateOnly> Days(string? lines) =>
        [.. RoomEntity.Lines(lines).Select(LocalDates.Parse).OfType<DateOnly>()];

    private static IReadOnlyList<(DateOnly, string)> Reasons(string? lines) =>
        [.. RoomEntity.Lines(lines).Select(l => (LocalDates.Parse(l[..10])!.Value, l[11..]))];
}
