using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>A room as stored in the Rooms table (partition <see cref="Partition"/>, row key its id).</summary>
public sealed partial class RoomEntity : ITableEntity
{
    public const string Partition = "room";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Status { get; set; } = RoomStatus.Pending;

    /// <summary>The lending structure as the offer named it.</summary>
    public string Structure { get; set; } = "";

    /// <summary>The actor of the directory that lends the room (set by staff on approval or entry).</summary>
    public string? ActorId { get; set; }

    public string Name { get; set; } = "";

    public string Kind { get; set; } = "";

    public int Capacity { get; set; }

    /// <summary>Equipment codes, one a line.</summary>
    public string? Equipment { get; set; }

    public bool Accessible { get; set; }

    public string Address { get; set; } = "";

    public string CommuneInsee { get; set; } = "";

    public string CommuneName { get; set; } = "";

    public string? Epci { get; set; }

    public string Conditions { get; set; } = "";

    public string? Price { get; set; }

    public string? Description { get; set; }

    /// <summary>Schedule.Store of the weekly hours.</summary>
    public string WeeklyHours { get; set; } = "";

    /// <summary>Schedule.Store of the closed periods.</summary>
    public string? ClosedPeriods { get; set; }

    public string ContactName { get; set; } = "";

    public string ContactEmail { get; set; } = "";

    public string ContactEmailHash { get; set; } = "";

    public string? ContactPhone { get; set; }

    /// <summary>The photos' blob names and content types, « 1.jpg image/jpeg », one a line.</summary>
    public string? Photos { get; set; }

    public DateTimeOffset OfferedAt { get; set; }

    /// <summary>« formulaire » for the website's form, or the staff member who entered it.</summary>
    public string OfferedBy { get; set; } = "";

    public string? ConsentTextVersion { get; set; }

    public DateTimeOffset? ModeratedAt { get; set; }

    public string? ModeratedBy { get; set; }

    public string? ModeratedByObjectId { get; set; }

    public string? RejectionReason { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public string? UpdatedByObjectId { get; set; }

    [IgnoreDataMember]
    public IReadOnlyList<string> EquipmentCodes => Lines(Equipment);

    [IgnoreDataMember]
    public IReadOnlyList<WeeklySlot> Slots => Schedule.ReadSlots(WeeklyHours);

    [IgnoreDataMember]
    public IReadOnlyList<ClosedPeriod> Closed => Schedule.ReadClosed(ClosedPeriods);

    [IgnoreDataMember]
    public IReadOnlyList<RoomPhoto> PhotoList => [.. Lines(Photos).Select((line, i) => new RoomPhoto(i + 1, line.Split(' ')[0], line.Split(' ')[1]))];

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static bool IsId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static IReadOnlyList<string> Lines(string? value) => string.IsNullOrEmpty(value) ? [] : value.Split('\n');

    [GeneratedRegex("^[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>A photo of a room: its number in the room's list, its blob name and its type.</summary>
public sealed record RoomPhoto(int Number, string Blob, string ContentType);
