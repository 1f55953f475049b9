using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Platform.PersonalData;

/// <summary>How long personal data is kept (CNIL guidance); the daily timer purges what is older.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Contact messages, from their receipt.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:ContactMessages must be between 1.00:00:00 and 3650.00:00:00.")]
    public TimeSpan ContactMessages { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Porteurs de projet, from the case's closing or the last contact, whichever is later.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:Porteurs must be between 1.00:00:00 and 3650.00:00:00.")]
    public TimeSpan Porteurs { get; set; } = TimeSpan.FromDays(1095);

    /// <summary>Newsletter subscriptions never confirmed, from the request.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00", ErrorMessage = "Retention:UnconfirmedSubscriptions must be between 01:00:00 and 90.00:00:00.")]
    public TimeSpan UnconfirmedSubscriptions { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Per-client rate-limit counters, from the end of their window.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00", ErrorMessage = "Retention:RateLimitRecords must be between 01:00:00 and 30.00:00:00.")]
    public TimeSpan RateLimitRecords { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Duplicate markers of the forms and handled SendGrid event ids.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00", ErrorMessage = "Retention:DedupRecords must be between 01:00:00 and 30.00:00:00.")]
    public TimeSpan DedupRecords { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Transactional mails of the outbox once sent.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Retention:OutboxSent must be between 01:00:00 and 365.00:00:00.")]
    public TimeSpan OutboxSent { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The proposer's name and address on agenda events, from the event's last day: a published event then stays without them, a proposal never moderated goes.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "730.00:00:00", ErrorMessage = "Retention:AgendaProposerContacts must be between 1.00:00:00 and 730.00:00:00.")]
    public TimeSpan AgendaProposerContacts { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Refused agenda proposals, from their refusal.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ErrorMessage = "Retention:RejectedAgendaProposals must be between 1.00:00:00 and 365.00:00:00.")]
    public TimeSpan RejectedAgendaProposals { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The recipients (address, name) of a newsletter edition's delivery ledger, from the delivery's completion; the counts stay on the edition and its batches.</summary>
    [Range(typeof(TimeSpan), "7.00:00:00", "1095.00:00:00", ErrorMessage = "Retention:DeliveryLedgers must be between 7.00:00:00 and 1095.00:00:00.")]
    public TimeSpan DeliveryLedgers { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Unsubscribed subscribers' rows (address in clear), from the unsubscription; the suppression list keeps the address's keyed hash.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ErrorMessage = "Retention:UnsubscribedSubscribers must be between 1.00:00:00 and 365.00:00:00.")]
    public TimeSpan UnsubscribedSubscribers { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Persons (individu, étudiant) of the directory, from their last contact: past it, the entry is flagged for staff review.</summary>
    [Range(typeof(TimeSpan), "30.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:DirectoryPersonsReview must be between 30.00:00:00 and 3650.00:00:00.")]
    public TimeSpan DirectoryPersonsReview { get; set; } = TimeSpan.FromDays(1095);

    /// <summary>Booking requests of rooms and their booked dates, from the request's last date; staff may keep one longer.</summary>
    [Range(typeof(TimeSpan), "30.00:00:00", "1095.00:00:00", ErrorMessage = "Retention:RoomBookings must be between 30.00:00:00 and 1095.00:00:00.")]
    public TimeSpan RoomBookings { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Refused room offers (with their contact and photos), from their refusal.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ErrorMessage = "Retention:RejectedRoomOffers must be between 1.00:00:00 and 365.00:00:00.")]
    public TimeSpan RejectedRoomOffers { get; set; } = TimeSpan.FromDays(30);
    /// <summary>A spreadsheet uploaded to the directory's import wizard (and its reports), from its upload.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00", ErrorMessage = "Retention:DirectoryImports must be between 01:00:00 and 30.00:00:00.")]
    public TimeSpan DirectoryImports { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Transactional mails of the outbox that failed for good or whose fate is uncertain, from their creation.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ErrorMessage = "Retention:OutboxFailed must be between 1.00:00:00 and 365.00:00:00.")]
    public TimeSpan OutboxFailed { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The history of access and erasure requests (reference, dates, who answered, the address's keyed hash), from the request's recording.</summary>
    [Range(typeof(TimeSpan), "365.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:PrivacyRequests must be between 365.00:00:00 and 3650.00:00:00.")]
    public TimeSpan PrivacyRequests { get; set; } = TimeSpan.FromDays(1826);

    /// <summary>The audit log of exports and requests.</summary>
    [Range(typeof(TimeSpan), "365.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:AuditLog must be between 365.00:00:00 and 3650.00:00:00.")]
    public TimeSpan AuditLog { get; set; } = TimeSpan.FromDays(1826);
}
