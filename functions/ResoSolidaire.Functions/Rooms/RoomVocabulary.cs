namespace ResoSolidaire.Functions.Rooms;

/// <summary>The codes a room's fields take (JSON and forms) and the French words people read.</summary>
public static class RoomVocabulary
{
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["salle-de-reunion"] = "Salle de réunion",
        ["bureau"] = "Bureau",
        ["grande-salle"] = "Grande salle",
        ["cuisine"] = "Cuisine",
        ["atelier"] = "Atelier",
        ["autre"] = "Autre",
    };

    public static readonly IReadOnlyDictionary<string, string> Equipment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["videoprojecteur"] = "Vidéoprojecteur",
        ["ecran"] = "Écran",
        ["wifi"] = "Wifi",
        ["tableau"] = "Tableau ou paperboard",
        ["visioconference"] = "Visioconférence",
        ["sonorisation"] = "Sonorisation",
        ["cuisine-equipee"] = "Cuisine équipée",
        ["parking"] = "Parking",
    };

    public static readonly IReadOnlyDictionary<string, string> Conditions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gratuit"] = "Gratuit",
        ["participation-libre"] = "Participation libre",
        ["tarif"] = "Tarif",
    };

    /// <summary>How a request repeats: once, every week on the same day, or every month on the same weekday (the 2nd Tuesday).</summary>
    public static readonly IReadOnlyDictionary<string, string> Recurrences = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["aucune"] = "Une seule fois",
        ["hebdomadaire"] = "Chaque semaine",
        ["mensuelle"] = "Chaque mois, le même jour de la semaine",
    };

    public static string Label(IReadOnlyDictionary<string, string> labels, string? code) =>
        code is not null && labels.TryGetValue(code, out var label) ? label : StatusTerms.UnknownLabel;
}

/// <summary>Where an offered room stands.</summary>
public static class RoomStatus
{
    public const string Pending = "Pending";
    public const string Published = "Published";
    public const string Rejected = "Rejected";
    public const string Withdrawn = "Withdrawn";

    /// <summary>Labels agree with « salle » (feminine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Pending, "pending", "À modérer"),
        new(Published, "published", "Publiée"),
        new(Rejected, "rejected", "Refusée"),
        new(Withdrawn, "withdrawn", "Retirée"),
    ]);
}

/// <summary>Where a booking request stands.</summary>
public static class RequestStatus
{
    public const string Pending = "Pending";
    public const string Accepted = "Accepted";
    public const string Declined = "Declined";
    public const string Proposed = "Proposed";
    public const string Cancelled = "Cancelled";

    /// <summary>Labels agree with « demande » (feminine).</summary>
    public static StatusTerms Terms { get; } = new(
    [
        new(Pending, "pending", "En attente de réponse"),
        new(Accepted, "accepted", "Acceptée"),
        new(Declined, "declined", "Refusée"),
        new(Proposed, "proposed", "Autre créneau proposé"),
        new(Cancelled, "cancelled", "Annulée"),
    ]);
}
