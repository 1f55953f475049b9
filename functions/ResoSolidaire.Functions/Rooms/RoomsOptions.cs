using System.ComponentModel.DataAnnotations;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>Settings of the room sharing.</summary>
public sealed class RoomsOptions
{
    public const string Section = "Rooms";

    /// <summary>Public base address of the API, ending with "/api/": the links of the mails (decide, cancel) and the calendar feeds are built on it.</summary>
    [Required(ErrorMessage = "Rooms:PublicBaseUrl is required (e.g. https://api.reso-solidaire.fr/api/).")]
    public Uri? PublicBaseUrl { get; set; }

    public Uri Link(string relative) => new(PublicBaseUrl!, relative);
}
