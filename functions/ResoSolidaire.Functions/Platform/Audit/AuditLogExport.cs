using System.Runtime.CompilerServices;

namespace ResoSolidaire.Functions.Platform.Audit;

/// <summary>The audit log itself (exports, access and erasure requests, purges); ?action= keeps one kind, from/to on the date.</summary>
public sealed class AuditLogExport(AuditLog audit) : IExportDataset
{
    private static HashSet<string> Actions { get; } = new(StringComparer.Ordinal) { AuditActions.Export, AuditActions.Access, AuditActions.Erasure, AuditActions.Purge, AuditActions.Unsubscribe };

    public string Slug => "audit";

    public string FileStem => "journal-d-audit";

    public string Title => "Journal d'audit";

    public Task<IReadOnlyList<ExportFilter>> FiltersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ExportFilter>>(
        [new("action", "Action", [new(AuditActions.Export, "Exports"), new(AuditActions.Access, "Demandes d'accès"), new(AuditActions.Erasure, "Effacements"), new(AuditActions.Purge, "Purges de conservation")])]);

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("at", "Date"),
        new("principal", "Par"),
        new("principalObjectId", "Identifiant Entra de la personne"),
        new("action", "Action"),
        new("dataset", "Jeu de données"),
        new("format", "Format"),
        new("filters", "Filtres"),
        new("rows", "Lignes"),
        new("subjectHash", "Empreinte de l'adresse concernée"),
        new("completed", "Terminé"),
    ];

    public Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(errors);
        var action = ExportPages.Value(query, "action");
        if (action is not null && !Actions.Contains(action))
        {
            errors["action"] = [$"Valeurs possibles : {string.Join(", ", Actions)}."];
        }

        return Task.FromResult(new ExportPlan(ct => PagesAsync(range, action, ct)));
    }

    private async IAsyncEnumerable<IReadOnlyList<object?[]>> PagesAsync(DateRange range, string? action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in audit.PagesAsync(range.Start, range.End, action, cancellationToken).ConfigureAwait(false))
        {
            yield return [.. page.Select(e => new object?[] { e.At, e.Principal, e.PrincipalObjectId, e.Action, e.Dataset, e.Format, e.Filters, e.Rows, e.SubjectHash, e.Completed })];
        }
    }
}
