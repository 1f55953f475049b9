using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Rooms.Console;

/// <summary>The rooms in the staff console: rooms and offers to moderate, a room, its calendar, the requests and their decision.</summary>
public sealed class RoomsConsole
{
    public const string ListPath = ConsolePaths.Home + "/salles";

    public const string RequestsPath = ConsolePaths.Home + "/salles/demandes";
}
