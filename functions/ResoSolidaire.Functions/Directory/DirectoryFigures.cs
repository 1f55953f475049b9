using ResoSolidaire.Functions.Platform.Report;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory;

/// <summary>
/// The directory in the activity report: the actors it lists at the end of the period (those created by then and
/// still listed) and those added during it, by kind, legal status, sector and EPCI.
/// </summary>
public sealed class DirectoryFigures(ActorStore store) : IActivityFigures
{
    private static readonly string[] Columns = ["Dans l'annuaire", "Ajoutés dans la période"];

    private static readonly string[] Select =
    [
        nameof(ActorEntity.Kind), nameof(ActorEntity.LegalStatus), nameof(ActorEntity.LegalStatusKey), nameof(ActorEntity.Sectors),
        nameof(ActorEntity.Epci), nameof(ActorEntity.CreatedAt),
    ];

    public int Order => 30;

    public async Task<ReportSection> ComputeAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var listed = new List<ActorEntity>();
        await foreach (var actor in store.ScanAsync(TableClient.CreateQueryFilter($"CreatedAt lt {period.End}"), Select, cancellationToken).ConfigureAwait(false))
        {
            listed.Add(actor);
        }

        var added = listed.Where(a => period.Contains(a.CreatedAt)).ToList();

        // A legal status is typed by people: grouped by its key (no case, no accents), shown as most often written.
        var statusLabels = listed.Where(a => !string.IsNullOrEmpty(a.LegalStatusKey))
            .GroupBy(a => a.LegalStatusKey!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.GroupBy(a => (a.LegalStatus ?? "").Trim(), StringComparer.Ordinal).OrderByDescending(s => s.Count()).First().Key, StringComparer.Ordinal);

        IEnumerable<(string, int)> Both(Func<ActorEntity, IEnumerable<string>> labels) =>
            listed.SelectMany(a => labels(a).Select(l => (l, 0))).Concat(added.SelectMany(a => labels(a).Select(l => (l, 1))));

        string Kind(ActorEntity a) => ActorKinds.Terms.Find(a.Kind)?.Label ?? ReportTables.NotGiven;
        string Status(ActorEntity a) => a.LegalStatusKey is { Length: > 0 } key ? statusLabels[key] : ReportTables.NotGiven;
        IEnumerable<string> SectorsOf(ActorEntity a) =>
            ActorEntity.SplitList(a.Sectors) is { Count: > 0 } codes ? codes.Select(c => Sectors.Terms.Find(c)?.Label ?? c) : [ReportTables.NotGiven];

        return new ReportSection(
            "annuaire",
            "Annuaire des acteurs",
            [
                new($"Acteurs dans l'annuaire au {PersonalRecords.Date(period.To)}", listed.Count),
                new("dont personnes (individus, étudiants)", listed.Count(a => ActorKinds.IsPerson(a.Kind))),
                new("Acteurs ajoutés dans la période", added.Count),
            ],
            [
                new("annuaire-type", "Par type d'acteur", "Type", Columns, ReportTables.Rows(Both(a => [Kind(a)]), 2, [.. ActorKinds.Terms.All.Select(t => t.Label)]), ReportChart.Bars),
                new("annuaire-secteur", "Par secteur d'activité", "Secteur", Columns, ReportTables.Rows(Both(SectorsOf), 2), ReportChart.Bars),
                new("annuaire-epci", "Par EPCI", "EPCI", Columns, ReportTables.Rows(Both(a => [CommuneDirectory.EpciLabel(a.Epci)]), 2, CommuneDirectory.EpciOrder), ReportChart.Bars),
                new("annuaire-statut", "Par statut juridique", "Statut juridique", Columns, ReportTables.Rows(Both(a => [Status(a)]), 2)),
            ],
            "Un acteur de plusieurs secteurs compte dans chacun d'eux. Un acteur retiré de l'annuaire n'est plus compté.");
    }
}
