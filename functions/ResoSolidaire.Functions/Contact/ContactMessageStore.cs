namespace ResoSolidaire.Functions.Contact;

/// <summary>
/// The contact messages as other modules read them (the inbox, its export): the only place outside the contact form
/// that knows their table, partition and key range. Messages are written by <see cref="ContactService"/> through the
/// forms' <see cref="SubmissionLedger"/>.
/// </summary>
public sealed class ContactMessageStore(TableServiceClient tables, StorageNames names)
{
    private static readonly string FirstKey = ContactForm.ReferencePrefix + "-";
    private static readonly string EndKey = ContactForm.ReferencePrefix + ".";

    /// <summary>The messages of one topic (or all), received in [start, end) when given, one storage page at a time.</summary>
    public IAsyncEnumerable<IReadOnlyList<ContactMessageEntity>> PagesAsync(string? topic, DateTimeOffset? start, DateTimeOffset? end, CancellationToken cancellationToken) =>
        TablePages.ReadAsync<ContactMessageEntity>(Table(), Filter(topic, start, end), null, cancellationToken);

    /// <summary>The reference, topic and receipt of the messages received in [start, end) (the activity report: no one's words).</summary>
    public IAsyncEnumerable<ContactMessageEntity> ReceiptsAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        TablePages.RowsAsync<ContactMessageEntity>(Table(), Filter(null, start, end), [nameof(ContactMessageEntity.Reference), nameof(ContactMessageEntity.Topic), nameof(ContactMessageEntity.CreatedAt)], cancellationToken);

    /// <summary>The messages of one topic (or all).</summary>
    public IAsyncEnumerable<ContactMessageEntity> ListAsync(string? topic, CancellationToken cancellationToken) =>
        TablePages.RowsAsync<ContactMessageEntity>(Table(), Filter(topic, null, null), null, cancellationToken);

    /// <summary>The message of a reference, or null (also for a reference that is not a contact message's).</summary>
    public async Task<ContactMessageEntity?> GetAsync(string reference, CancellationToken cancellationToken)
    {
        if (!IsReference(reference))
        {
            return null;
        }

        var found = await Table().GetEntityIfExistsAsync<ContactMessageEntity>(SubmissionLedger.Partition, KeySafe.Encode(reference), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>When the message of a reference was received, or null when it is gone.</summary>
    public async Task<DateTimeOffset?> ReceivedAtAsync(string reference, CancellationToken cancellationToken)
    {
        if (!IsReference(reference))
        {
            return null;
        }

        var found = await Table().GetEntityIfExistsAsync<TableEntity>(SubmissionLedger.Partition, KeySafe.Encode(reference), ["CreatedAt"], cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value?.GetDateTimeOffset("CreatedAt") : null;
    }

    /// <summary>The references of the messages sent from an address, found by its keyed hash (EmailHasher).</summary>
    public async Task<IReadOnlyList<string>> ReferencesOfAsync(string emailHash, CancellationToken cancellationToken)
    {
        var references = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {FirstKey} and RowKey lt {EndKey} and EmailHash eq {emailHash}");
        await foreach (var message in TablePages.RowsAsync<ContactMessageEntity>(Table(), filter, ["Reference"], cancellationToken).ConfigureAwait(false))
        {
            references.Add(message.Reference);
        }

        return references;
    }

    private static bool IsReference(string reference) =>
        reference.StartsWith(FirstKey, StringComparison.Ordinal) && reference.Length <= 40;

    private static string Filter(string? topic, DateTimeOffset? start, DateTimeOffset? end)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {FirstKey} and RowKey lt {EndKey}");
        if (topic is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Topic eq {topic}");
        }

        if (start is { } s)
        {
            filter += " and " + TableClient.CreateQueryFilter($"CreatedAt ge {s}");
        }

        if (end is { } e)
        {
            filter += " and " + TableClient.CreateQueryFilter($"CreatedAt lt {e}");
        }

        return filter;
    }

    private TableClient Table() => tables.GetTableClient(names.Table(ContactForm.TableName));
}
