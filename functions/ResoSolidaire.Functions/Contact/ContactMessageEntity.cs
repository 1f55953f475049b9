namespace ResoSolidaire.Functions.Contact;

/// <summary>A contact message in Table storage, with its consent record.</summary>
public sealed class ContactMessageEntity : ISubmissionEntity
{
    public string PartitionKey { get; set; } = SubmissionLedger.Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    /// <summary>EmailHasher.Hash of <see cref="Email"/>: how access and erasure find the person's records.</summary>
    public string EmailHash { get; set; } = "";

    public string? Organisation { get; set; }

    public string? Phone { get; set; }

    public string Topic { get; set; } = "";

    public string Message { get; set; } = "";

    public bool Newsletter { get; set; }

    public string ConsentForm { get; set; } = ContactForm.Name;

    public string ConsentTextVersion { get; set; } = "";

    public DateTimeOffset ConsentAt { get; set; }

    public bool MailsQueued { get; set; }

    public static ContactMessageEntity From(ContactMessage message, string emailHash, string reference, DateTimeOffset now, string consentTextVersion)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ContactMessageEntity
        {
            RowKey = reference,
            Reference = reference,
            CreatedAt = now,
            Name = message.Name,
            Email = message.Email,
            EmailHash = emailHash,
            Organisation = message.Organisation,
            Phone = message.Phone,
            Topic = message.Topic,
            Message = message.Message,
            Newsletter = message.Newsletter,
            ConsentForm = ContactForm.Name,
            ConsentTextVersion = consentTextVersion,
            ConsentAt = now,
        };
    }

    public ContactMessage ToMessage() => new(Name, Email, Organisation, Phone, Topic, Message, Newsletter);
}
