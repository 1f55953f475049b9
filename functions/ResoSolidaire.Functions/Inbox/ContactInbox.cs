using ResoSolidaire.Functions.Contact;

namespace ResoSolidaire.Functions.Inbox;

/// <summary>
/// Who handled a contact message, when, and with what note: one row per handled message in the
/// InboxHandling table (keyed by the message's reference). The message itself stays where the contact form
/// stored it and is never modified here.
/// </summary>
public sealed class HandlingEntity : ITableEntity
{
    public const string Partition = "handled";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset HandledAt { get; set; }

    public string HandledBy { get; set; } = "";

    /// <summary>The Entra object id of <see cref="HandledBy"/>: stays true when the person's name changes.</summary>
    public string? HandledByObjectId { get; set; }

    public string? Note { get; set; }
}

public sealed record InboxMessageDto(
    string Reference,
    DateTimeOffset ReceivedAt,
    string Topic,
    string TopicLabel,
    string Name,
    string Email,
    string? Organisation,
    string? Phone,
    string Message,
    bool Newsletter,
    bool Handled,
    DateTimeOffset? HandledAt,
    string? HandledBy,
    string? HandlingNote,
    string? HandledByObjectId = null);

public sealed record InboxPage(IReadOnlyList<InboxMessageDto> Items, string? Continuation);

public sealed record HandledInput(string? Note);

/// <summary>The filters of the inbox; they combine. <c>Search</c> is what staff typed in « Rechercher » (<see cref="InboxSearch"/>).</summary>
public sealed record InboxFilter(string? Topic, DateOnly? From, DateOnly? To, bool? Handled, string? Search = null);

/// <summary>The contact messages as staff work through them. There are a few hundred a year: lists join both tables in memory.</summary>
public sealed class ContactInbox(ContactMessageStore messages, StorageProvisioning storage, EmailHasher hasher, TimeProvider time, ILogger<ContactInbox> logger)
{
    public const string TableName = "InboxHandling";


    public async Task<ListPage<InboxMessageDto>> ListAsync(InboxFilter filter, int pageSize, ContinuationToken? continuation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var handling = await HandlingAsync(cancellationToken).ConfigureAwait(false);
        var handled = new Dictionary<string, HandlingEntity>(StringComparer.Ordinal);
        await foreach (var row in handling.QueryAsync<HandlingEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {HandlingEntity.Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            handled[row.RowKey] = row;
        }

        var found = new List<(ContactMessageEntity Message, HandlingEntity? Handling)>();
        var search = InboxSearch.Of(filter.Search, hasher);
        await foreach (var message in messages.ListAsync(filter.Topic, cancellationToken).ConfigureAwait(false))
        {
            var received = LocalDates.DayOf(message.CreatedAt);
            var handledRow = handled.GetValueOrDefault(message.Reference);
            if ((filter.From is null || received >= filter.From)
                && (filter.To is null || received <= filter.To)
                && (filter.Handled is null || filter.Handled == (handledRow is not null))
                && (search is null || search.Matches(message)))
            {
                found.Add((message, handledRow));
            }
        }

        var page = MemoryPaging.Page(found, m => $"{m.Message.CreatedAt.UtcTicks:D19}|{m.Message.Reference}", pageSize, continuation);
        return new ListPage<InboxMessageDto>(page.Items.Select(m => ToDto(m.Message, m.Handling)).ToList(), page.Continuation);
    }

    public async Task<InboxMessageDto?> GetAsync(string reference, CancellationToken cancellationToken)
    {
        var message = await MessageAsync(reference, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }

        var handling = await HandlingAsync(cancellationToken).ConfigureAwait(false);
        var row = await handling.GetEntityIfExistsAsync<HandlingEntity>(HandlingEntity.Partition, reference, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ToDto(message, row.HasValue ? row.Value : null);
    }

    /// <summary>Marks a message handled (again: the note and author are replaced); null when there is no such message.</summary>
    public async Task<InboxMessageDto?> MarkHandledAsync(string reference, string? note, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var message = await MessageAsync(reference, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }

        var row = new HandlingEntity { RowKey = reference, HandledAt = time.GetUtcNow(), HandledBy = by.Name, HandledByObjectId = by.ObjectId, Note = note };
        var handling = await HandlingAsync(cancellationToken).ConfigureAwait(false);
        await handling.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Contact message {Reference} marked handled", reference);
        return ToDto(message, row);
    }

    public async Task<InboxMessageDto?> MarkUnhandledAsync(string reference, CancellationToken cancellationToken)
    {
        var message = await MessageAsync(reference, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }

        var handling = await HandlingAsync(cancellationToken).ConfigureAwait(false);
        await handling.DeleteEntityAsync(HandlingEntity.Partition, reference, ETag.All, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Contact message {Reference} marked not handled", reference);
        return ToDto(message, null);
    }

    private Task<ContactMessageEntity?> MessageAsync(string reference, CancellationToken cancellationToken) =>
        messages.GetAsync(reference, cancellationToken);

    private static InboxMessageDto ToDto(ContactMessageEntity message, HandlingEntity? handling) => new(
        message.Reference,
        message.CreatedAt,
        message.Topic,
        ContactForm.Topics.GetValueOrDefault(message.Topic, message.Topic),
        message.Name,
        message.Email,
        message.Organisation,
        message.Phone,
        message.Message,
        message.Newsletter,
        handling is not null,
        handling?.HandledAt,
        handling?.HandledBy,
        handling?.Note,
        handling?.HandledByObjectId);

    private Task<TableClient> HandlingAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);
}

/// <summary>
/// The inbox's search: an e-mail address is looked up by its keyed hash (exactly that sender, never a longer
/// address that contains it); other text must have each of its words in the sender's name, structure, the
/// reference or the message, compared without case or accents.
/// </summary>
internal sealed class InboxSearch
{
    private readonly string? _emailHash;

    private readonly string[] _words;

    private InboxSearch(string? emailHash, string[] words)
    {
        _emailHash = emailHash;
        _words = words;
    }

    public static InboxSearch? Of(string? text, EmailHasher hasher)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return EmailAddress.TryParse(text, out var address)
            ? new InboxSearch(hasher.Hash(address), [])
            : new InboxSearch(null, TextKey.Of(text).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public bool Matches(ContactMessageEntity message)
    {
        if (_emailHash is not null)
        {
            return string.Equals(message.EmailHash, _emailHash, StringComparison.Ordinal);
        }

        var haystack = " " + TextKey.Of(string.Join(' ', message.Name, message.Organisation, message.Reference, message.Message)) + " ";
        return _words.All(word => haystack.Contains(word, StringComparison.Ordinal));
    }
}
