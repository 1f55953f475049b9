namespace ResoSolidaire.MailSink;

/// <summary>One request to <c>POST /v3/mail/send</c> that reached validation, accepted (202) or refused (400).</summary>
public sealed class ReceivedMail
{
    public required string Id { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>True when SendGrid would have accepted it (202); refused requests are kept for diagnosis.</summary>
    public required bool IsValid { get; init; }

    /// <summary>Why it was refused, in SendGrid's terms; empty when valid.</summary>
    public IReadOnlyList<SendGridError> Errors { get; init; } = [];

    /// <summary>Sender email at message level; empty only for a refused request that had none.</summary>
    public string From { get; init; } = "";
    public string? FromName { get; init; }
    public string? ReplyTo { get; init; }

    /// <summary>
    /// The subject as read at a glance: the message-level one, else the first personalization's (where the
    /// SendGrid client's <c>SetSubject</c> and <c>MailHelper</c> put it); empty when there is none.
    /// Use <see cref="SubjectFor"/> for what a given personalization's recipients see.
    /// </summary>
    public string Subject => MessageSubject ?? (Personalizations.Count > 0 ? Personalizations[0].Subject : null) ?? "";

    /// <summary>The message-level <c>subject</c> exactly as sent, if any.</summary>
    public string? MessageSubject { get; init; }
    public IReadOnlyList<ReceivedPersonalization> Personalizations { get; init; } = [];
    public string? Html { get; init; }
    public string? Text { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = Empty;
    public IReadOnlyDictionary<string, string> CustomArgs { get; init; } = Empty;
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> AttachmentNames { get; init; } = [];
    public string? TemplateId { get; init; }
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>The request body as received (not always JSON when the request was refused).</summary>
    public required string RawJson { get; init; }

    /// <summary>Every to, cc and bcc address over all personalizations.</summary>
    public IEnumerable<string> AllRecipients => Personalizations.SelectMany(p => p.AllRecipients);

    public int RecipientCount => Personalizations.Sum(p => p.To.Count + p.Cc.Count + p.Bcc.Count);

    /// <summary>True when <paramref name="email"/> is among the to, cc or bcc addresses (case-insensitive).</summary>
    public bool IsAddressedTo(string email) =>
        AllRecipients.Any(r => string.Equals(r, email, StringComparison.OrdinalIgnoreCase));

    /// <summary>The subject a recipient of <paramref name="personalization"/> would see.</summary>
    public string? SubjectFor(ReceivedPersonalization personalization)
    {
        ArgumentNullException.ThrowIfNull(personalization);
        return personalization.Subject ?? MessageSubject;
    }

    internal static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}

/// <summary>One SendGrid personalization: an envelope and its per-recipient data.</summary>
public sealed class ReceivedPersonalization
{
    public IReadOnlyList<string> To { get; init; } = [];
    public IReadOnlyList<string> Cc { get; init; } = [];
    public IReadOnlyList<string> Bcc { get; init; } = [];
    public string? From { get; init; }
    public string? Subject { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = ReceivedMail.Empty;
    public IReadOnlyDictionary<string, string> CustomArgs { get; init; } = ReceivedMail.Empty;
    public IReadOnlyDictionary<string, string> Substitutions { get; init; } = ReceivedMail.Empty;

    /// <summary>The <c>dynamic_template_data</c> object as JSON text, if any.</summary>
    public string? DynamicTemplateData { get; init; }
    public DateTimeOffset? SendAt { get; init; }

    public IEnumerable<string> AllRecipients => To.Concat(Cc).Concat(Bcc);
}

/// <summary>One entry of SendGrid's error body <c>{"errors":[{"message","field","help"}]}</c>.</summary>
public sealed record SendGridError(string Message, string? Field = null, string? Help = null);
