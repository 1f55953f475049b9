using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Agenda;

/// <summary>Settings of the public agenda.</summary>
public sealed class AgendaOptions
{
    public const string Section = "Agenda";

    /// <summary>How many weeks of approved events the public agenda (GET agenda/events) lists, from today (Europe/Paris).</summary>
    [Range(1, 52, ErrorMessage = "Agenda:PublicWeeks must be between 1 and 52.")]
    public int PublicWeeks { get; set; } = 6;
}
