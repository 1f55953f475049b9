namespace ResoSolidaire.Functions.Porteurs.FollowUp;

/// <summary>
/// The phases of a porteur's case, modelled on the DLA (dispositif local d'accompagnement), and the moves
/// that make sense between them: forward, one step back when the plan changes, abandon from any open phase,
/// and reopening a closed or abandoned case at the welcome.
/// </summary>
public static class CasePhases
{
    public const string Accueil = "accueil";
    public const string Diagnostic = "diagnostic";
    public const string Orientation = "orientation";
    public const string Accompagnement = "accompagnement";
    public const string Suivi = "suivi";
    public const string Clos = "clos";
    public const string Abandonne = "abandonne";

    /// <summary>A phase is stored as its code; labels agree with « dossier » (masculine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Accueil, Accueil, "Accueil"),
        new(Diagnostic, Diagnostic, "Diagnostic"),
        new(Orientation, Orientation, "Orientation / plan d'accompagnement"),
        new(Accompagnement, Accompagnement, "Accompagnement"),
        new(Suivi, Suivi, "Suivi"),
        new(Clos, Clos, "Clos"),
        new(Abandonne, Abandonne, "Abandonné"),
    ]);

    private static readonly Dictionary<string, string[]> Moves = new(StringComparer.Ordinal)
    {
        [Accueil] = [Diagnostic, Orientation, Clos, Abandonne],
        [Diagnostic] = [Orientation, Accueil, Abandonne],
        [Orientation] = [Accompagnement, Diagnostic, Clos, Abandonne],
        [Accompagnement] = [Suivi, Orientation, Abandonne],
        [Suivi] = [Clos, Accompagnement, Abandonne],
        [Clos] = [Accueil],
        [Abandonne] = [Accueil],
    };

    public static bool IsPhase(string? code) => code is not null && Terms.All.Any(t => t.Code == code);

    public static bool IsOpen(string phase) => phase is not (Clos or Abandonne);

    public static IReadOnlyList<string> AllowedFrom(string phase) => Moves.TryGetValue(phase, out var to) ? to : [];

    public static string Label(string phase) => Terms.Label(phase);
}
