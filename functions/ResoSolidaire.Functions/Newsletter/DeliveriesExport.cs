using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>The deliveries of one edition (?edition=, required): each frozen recipient with its batch's outcome. ?status= keeps batches in one state.</summary>
public sealed class DeliveriesExport(NewsletterStorage storage, EditionService editions) : IExportDataset
{
    public string Slug => "deliveries";

    public string FileStem => "envois-newsletter";

    public string Title => "Destinataires d'un envoi de la lettre";

    public string? DateRangeLabel => null;

    public async Task<IReadOnlyList<ExportFilter>> FiltersAsync(CancellationToken cancellationToken)
    {
        var sent = (await editions.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(e => e.LedgerKey is not null)
            .OrderByDescending(e => e.SendAtUtc)
            .Select(e => new ExportChoice(e.RowKey, $"{PersonalRecords.Date(LocalDates.DayOf(e.SendAtUtc))} : {e.Subject}"));
        return
        [
            new("edition", "Édition", [.. sent], Required: true),
            new("status", "Lots", [.. BatchStatus.Terms.All.Select(t => new ExportChoice(t.Code, t.Label))]),
        ];
    }

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("edition", "Édition"),
        new("subject", "Objet"),
        new("batch", "Lot"),
        new("email", "E-mail"),
        new("name", "Nom"),
        new("outcome", "Résultat"),
        new("sentAt", "Envoyé le"),
        new("statusCode", "Code de réponse SendGrid"),
    ];

    public async Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string? status = null;
        if (ExportPages.Value(query, "status") is { } statusText && (status = BatchStatus.Terms.StoredOf(statusText)) is null)
        {
            errors["status"] = [$"Valeurs possibles : {BatchStatus.Terms.Choices}."];
        }

        EditionEntity? edition = null;
        if (ExportPages.Value(query, "edition") is not { } id)
        {
            errors["edition"] = ["Indiquez l'édition (?edition=identifiant, comme dans la liste des éditions)."];
        }
        else if (id.Length > 100 || (edition = await editions.FindAsync(id, cancellationToken).ConfigureAwait(false)) is null)
        {
            errors["edition"] = ["Cette édition n'existe pas."];
        }

        return new ExportPlan(ct => edition is null ? Empty() : PagesAsync(edition, status, ct));
    }

    private static async IAsyncEnumerable<IReadOnlyList<object?[]>> Empty()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    private async IAsyncEnumerable<IReadOnlyList<object?[]>> PagesAsync(EditionEntity edition, string? status, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (edition.LedgerKey is not { } ledgerKey)
        {
            yield break; // audience not frozen yet: nobody to list
        }

        var batchesTable = await storage.TableAsync(NewsletterStorage.Batches, cancellationToken).ConfigureAwait(false);
        var batches = new List<BatchEntity>();
        await foreach (var batch in batchesTable.QueryAsync<BatchEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ledgerKey}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (status is null || batch.Status == status)
            {
                batches.Add(batch);
            }
        }

        var ledger = await storage.TableAsync(NewsletterStorage.Ledger, cancellationToken).ConfigureAwait(false);
        foreach (var batch in batches.OrderBy(b => b.RowKey, StringComparer.Ordinal))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {BatchEntity.LedgerPartition(ledgerKey, batch.RowKey)}");
            await foreach (var page in ExportPages.ReadAsync<LedgerEntity>(ledger, filter, null, r => Row(edition, batch, r), cancellationToken).ConfigureAwait(false))
            {
                yield return page;
            }
        }
    }

    private static object?[] Row(EditionEntity edition, BatchEntity batch, LedgerEntity recipient) =>
    [
        edition.RowKey,
        edition.Subject,
        batch.RowKey,
        recipient.Email,
        recipient.Name,
        recipient.Outcome == LedgerEntity.SuppressedOutcome ? LedgerEntity.OutcomeTerms.Label(recipient.Outcome) : BatchStatus.Terms.Label(batch.Status),
        recipient.Outcome == LedgerEntity.SuppressedOutcome ? null : batch.SentAt,
        batch.LastStatusCode,
    ];
}
