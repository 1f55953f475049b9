using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Contact;

namespace ResoSolidaire.Functions.Inbox;

/// <summary>Contact messages with their handling and consent record; the inbox's filters (topic, handled, from, to).</summary>
public sealed class ContactMessagesExport(ContactMessageStore messages, TableServiceClient tables, StorageNames names) : IExportDataset
{
    public string Slug => "contact-messages";

    public string FileStem => "messages-de-contact";

    public string Title => "Messages de contact";

    public string? DateRangeLabel => "Reçus";

    public Task<IReadOnlyList<ExportFilter>> FiltersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ExportFilter>>(
    [
        new("topic", "Sujet", [.. ContactForm.Topics.Select(t => new ExportChoice(t.Key, t.Value))]),
        new("handled", "État", [new("false", "À traiter"), new("true", "Traités")]),
    ]);

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("reference", "Référence"),
        new("receivedAt", "Reçu le"),
        new("topic", "Sujet"),
        new("name", "Nom"),
        new("email", "E-mail"),
        new("organisation", "Organisation"),
        new("phone", "Téléphone"),
        new("message", "Message"),
        new("newsletter", "Demande la newsletter"),
        new("handled", "Traité"),
        new("handledAt", "Traité le"),
        new("handledBy", "Traité par"),
        new("handlingNote", "Note de traitement"),
        new("consentForm", "Consentement : formulaire"),
        new("consentTextVersion", "Consentement : version du texte"),
        new("consentAt", "Consentement : date"),
    ];

    public Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(errors);
        var topic = ExportPages.Value(query, "topic");
        if (topic is not null && !ContactForm.Topics.ContainsKey(topic))
        {
            errors["topic"] = [$"Sujet inconnu : « {topic} » (valeurs possibles : {string.Join(", ", ContactForm.Topics.Keys)})."];
        }

        bool? handled = null;
        if (ExportPages.Value(query, "handled") is { } handledText)
        {
            handled = YesNo.Parse(handledText);
            if (handled is null)
            {
                errors["handled"] = ["Le filtre handled vaut true (traités) ou false (à traiter)."];
            }
        }

        return Task.FromResult(new ExportPlan(ct => PagesAsync(topic, range, handled, ct)));
    }

    private async IAsyncEnumerable<IReadOnlyList<object?[]>> PagesAsync(string? topic, DateRange range, bool? handled, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A few hundred messages a year: their handling rows fit in memory, the messages stream.
        var handling = new Dictionary<string, HandlingEntity>(StringComparer.Ordinal);
        try
        {
            var rows = tables.GetTableClient(names.Table(ContactInbox.TableName))
                .QueryAsync<HandlingEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {HandlingEntity.Partition}"), cancellationToken: cancellationToken);
            await foreach (var row in rows.ConfigureAwait(false))
            {
                handling[row.RowKey] = row;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // Nothing handled yet.
        }

        await foreach (var page in messages.PagesAsync(topic, range.Start, range.End, cancellationToken).ConfigureAwait(false))
        {
            yield return [.. page.Where(m => handled is null || handled == handling.ContainsKey(m.Reference)).Select(m => Row(m, handling.GetValueOrDefault(m.Reference)))];
        }
    }

    private static object?[] Row(ContactMessageEntity m, HandlingEntity? h) =>
    [
        m.Reference,
        m.CreatedAt,
        ContactForm.Topics.GetValueOrDefault(m.Topic, m.Topic),
        m.Name,
        m.Email,
        m.Organisation,
        m.Phone,
        m.Message,
        m.Newsletter,
        h is not null,
        h?.HandledAt,
        h?.HandledBy,
        h?.Note,
        m.ConsentForm,
        m.ConsentTextVersion,
        m.ConsentAt,
    ];
}
