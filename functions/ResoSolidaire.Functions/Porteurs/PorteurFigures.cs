using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;
using ResoSolidaire.Functions.Porteurs.FollowUp;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>
/// The porteurs de projet in the activity report: the intakes received in the period (by month, sector, stage,
/// envisaged status, commune, EPCI and furthest phase reached), the orientations made in the period by kind of
/// partner, and the median time from an intake to its first change of phase (the first meeting).
/// </summary>
public sealed class PorteurFigures(CaseStore cases, ActorStore actors) : IActivityFigures
{
    /// <summary>The phases a case moves forward through, in order; closed and abandoned are where it ends.</summary>
    private static readonly string[] Forward = [CasePhases.Accueil, CasePhases.Diagnostic, CasePhases.Orientation, CasePhases.Accompagnement, CasePhases.Suivi];

    public int Order => 10;

    public async Task<ReportSection> ComputeAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var snapshotsTask = cases.AllAsync(cancellationToken);
        var timelinesTask = cases.AllTimelinesAsync(cancellationToken);
        var snapshots = await snapshotsTask.ConfigureAwait(false);
        var timelines = await timelinesTask.ConfigureAwait(false);

        var received = snapshots.Where(s => period.Contains(s.Intake.CreatedAt)).ToList();
        var days = new List<double>();
        var reached = new List<string>();
        foreach (var snapshot in received)
        {
            var timeline = timelines.GetValueOrDefault(snapshot.Intake.Reference) ?? [];
            var phases = timeline.Where(e => e.Kind == CaseEventKinds.Phase).ToList();
            if (phases.Count > 0)
            {
                days.Add((phases.Min(e => e.At) - snapshot.Intake.CreatedAt).TotalDays);
            }

            var visited = phases.SelectMany(e => new[] { e.PhaseFrom, e.PhaseTo }).Append(snapshot.State?.Phase ?? CasePhases.Accueil);
            reached.Add(CasePhases.Label(Forward.Last(p => p == CasePhases.Accueil || visited.Contains(p))));
        }

        var orientations = timelines.Values.SelectMany(t => t).Where(e => e.Kind == CaseEventKinds.Orientation && period.Contains(e.At)).ToList();
        var partnerKinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var partner in orientations.Select(o => o.ActorId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var actor = await actors.GetAsync(partner, cancellationToken).ConfigureAwait(false);
            partnerKinds[partner] = actor is null ? "Structure retirée de l'annuaire" : ActorKinds.Terms.Find(actor.Kind)?.Label ?? ReportTables.NotGiven;
        }

        var median = ReportTables.Median(days);
        var closed = received.Count(s => s.State?.Phase == CasePhases.Clos);
        var abandoned = received.Count(s => s.State?.Phase == CasePhases.Abandonne);
        return new ReportSection(
            "porteurs",
            "Porteurs de projet",
            [
                new("Porteurs de projet reçus", received.Count),
                new("dont hors du Pays de Rennes", received.Count(s => !s.Intake.InPaysDeRennes)),
                new("Orientations vers des structures partenaires", orientations.Count, Note: "pour " + ConsoleText.Count(orientations.Select(o => o.PartitionKey).Distinct(StringComparer.Ordinal).Count(), "dossier", "dossiers")),
                new("Délai médian entre la demande et le premier rendez-vous", median is null ? null : Math.Round(median.Value, 1), ReportUnit.Days, $"premier changement de phase, sur {ConsoleText.Count(days.Count, "dossier reçu", "dossiers reçus")} dans la période"),
                new("Dossiers reçus dans la période et clos depuis", closed),
                new("Dossiers reçus dans la période et abandonnés depuis", abandoned),
            ],
            [
                new("porteurs-par-mois", "Demandes reçues par mois", "Mois", ["Demandes"], ReportTables.PerMonth(period, received.Select(s => LocalDates.DayOf(s.Intake.CreatedAt))), ReportChart.Line),
                ReportTables.Count("porteurs-secteur", "Par secteur du projet", "Secteur", "Demandes", received.Select(s => s.Intake.SectorText()), ReportChart.Bars),
                ReportTables.Count("porteurs-epci", "Par EPCI", "EPCI", "Demandes", received.Select(s => CommuneDirectory.EpciLabel(s.Intake.EpciCode)), ReportChart.Bars, CommuneDirectory.EpciOrder),
                ReportTables.Count("porteurs-stade", "Par stade du projet", "Stade", "Demandes", received.Select(s => Label(PorteurForm.Stages, s.Intake.Stage)), order: [.. PorteurForm.Stages.Values]),
                ReportTables.Count("porteurs-statut", "Par statut envisagé", "Statut envisagé", "Demandes", received.Select(s => Label(PorteurForm.LegalStatuses, s.Intake.LegalStatus)), order: [.. PorteurForm.LegalStatuses.Values]),
                ReportTables.Count("porteurs-commune", "Par commune", "Commune", "Demandes", received.Select(s => string.IsNullOrEmpty(s.Intake.CommuneName) ? ReportTables.NotGiven : s.Intake.CommuneName)),
                ReportTables.Count("porteurs-phase", "Par phase la plus avancée atteinte", "Phase", "Dossiers", reached, order: [.. Forward.Select(CasePhases.Label)]),
                ReportTables.Count("orientations-partenaires", "Orientations par type de structure partenaire", "Type de structure", "Orientations", orientations.Select(o => o.ActorId is { } id ? partnerKinds[id] : ReportTables.NotGiven), ReportChart.Bars),
            ],
            "Les demandes sont comptées à leur date de réception (heure de Rennes) ; les orientations à la date où elles ont été enregistrées.");
    }

    private static string Label(IReadOnlyDictionary<string, string> labels, string code) =>
        string.IsNullOrEmpty(code) ? ReportTables.NotGiven : labels.GetValueOrDefault(code, code);
}
