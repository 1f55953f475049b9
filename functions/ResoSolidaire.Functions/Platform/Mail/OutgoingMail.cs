namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>A transactional mail, as the features describe it; the mail layer turns it into a SendGrid request.</summary>
public sealed record OutgoingMail(
    IReadOnlyList<string> To,
    string Subject,
    string Html,
    string Text)
{
    /// <summary>What the mail is about, for the outbox and the logs (never personal data), e.g. "contact-ack".</summary>
    public string Kind { get; init; } = "mail";

    public string? ReplyTo { get; init; }

    /// <summary>
    /// The people a mail to staff is about (the sender of a contact message, a porteur, a proposer): the outbox
    /// keeps the keyed hash of each, with those of the recipients, so access and erasure find the mail by key.
    /// </summary>
    public IReadOnlyList<string> About { get; init; } = [];

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Files sent with the mail (an .ics invitation), at most a few hundred kilobytes in all: the outbox keeps them in the row.</summary>
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];
}

/// <summary>A file attached to a mail: its name, its media type (<c>text/calendar</c>) and its content.</summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);
