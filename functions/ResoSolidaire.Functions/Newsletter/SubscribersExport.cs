using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Newsletter.Subscriptions;

namespace ResoSolidaire.Functions.Newsletter;

/// <summary>Newsletter subscribers with their consent record (text version, date, form) and whether the address is suppressed.</summary>
public sealed class SubscribersExport(NewsletterStorage storage, SuppressionList suppressions) : IExportDataset
{
    public string Slug => "subscribers";

    public string FileStem => "abonnés";

    public string Title => "Abonnés à la lettre d'information";

    public string? DateRangeLabel => "Inscrits";

    public Task<IReadOnlyList<ExportFilter>> FiltersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ExportFilter>>(
        [new("status", "État", [.. SubscriberStatus.Terms.All.Select(t => new ExportChoice(t.Code, t.Label))])]);

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("email", "E-mail"),
        new("name", "Nom"),
        new("status", "Statut"),
        new("suppressed", "Opposition enregistrée"),
        new("territories", "Territoires"),
        new("sectors", "Secteurs"),
        new("createdAt", "Inscrit le"),
        new("confirmedAt", "Confirmé le"),
        new("unsubscribedAt", "Désinscrit le"),
        new("consentSource", "Consentement : formulaire"),
        new("consentTextVersion", "Consentement : version du texte"),
        new("consentAt", "Consentement : date"),
    ];

    public Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(errors);
        string? status = null;
        if (ExportPages.Value(query, "status") is { } statusText && (status = SubscriberStatus.Terms.StoredOf(statusText)) is null)
        {
            errors["status"] = [$"Valeurs possibles : {SubscriberStatus.Terms.Choices}."];
        }

        var filter = ExportPages.And(
        [
            TableClient.CreateQueryFilter($"PartitionKey eq {SubscriberEntity.Partition}"),
            status is null ? null : TableClient.CreateQueryFilter($"Status eq {status}"),
            range.Start is { } s ? TableClient.CreateQueryFilter($"CreatedAt ge {s}") : null,
            range.End is { } e ? TableClient.CreateQueryFilter($"CreatedAt lt {e}") : null,
        ]);
        return Task.FromResult(new ExportPlan(ct => PagesAsync(filter, ct)));
    }

    private async IAsyncEnumerable<IReadOnlyList<object?[]>> PagesAsync(string? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var suppressed = await suppressions.LoadAsync(cancellationToken).ConfigureAwait(false);
        var table = await storage.TableAsync(NewsletterStorage.Subscribers, cancellationToken).ConfigureAwait(false);
        await foreach (var page in ExportPages.ReadAsync<SubscriberEntity>(table, filter, null, s => Row(s, suppressed.Contains(s.RowKey)), cancellationToken).ConfigureAwait(false))
        {
            yield return page;
        }
    }

    private static object?[] Row(SubscriberEntity s, bool suppressed) =>
    [
        s.Email,
        s.Name,
        SubscriberStatus.Terms.Label(s.Status),
        suppressed,
        Labels(s.Territories, Interests.Territories),
        Labels(s.Sectors, Interests.Sectors),
        s.CreatedAt,
        s.ConfirmedAt,
        s.UnsubscribedAt,
        s.ConsentSource,
        s.ConsentTextVersion,
        s.ConsentAt,
    ];

    private static string Labels(string codes, IReadOnlyDictionary<string, string> labels) =>
        codes.Length == 0 ? "Tous" : string.Join(", ", SubscriberEntity.Split(codes).Select(c => labels.GetValueOrDefault(c, c)));
}
