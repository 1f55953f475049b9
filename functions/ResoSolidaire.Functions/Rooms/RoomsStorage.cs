using Azure.Storage.Blobs;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>The rooms module's tables and container, created at start-up (declared in AddRooms); only this module knows them.</summary>
public sealed class RoomsStorage(StorageProvisioning storage)
{
    /// <summary>Rooms offered (pending, published, refused, withdrawn): partition « room », row key the room's id.</summary>
    public const string Rooms = "Rooms";

    /// <summary>Booking requests, through the forms' SubmissionLedger (partition « submission », row key the reference).</summary>
    public const string Requests = "RoomRequests";

    /// <summary>The confirmed bookings: one row per room (partition) and day (row key yyyy-MM-dd), the lock of that day.</summary>
    public const string Days = "RoomDays";

    /// <summary>The rooms' photos, {room id}/{n}.{jpg|png}.</summary>
    public const string Photos = "salles-photos";

    public Task<TableClient> RoomsAsync(CancellationToken cancellationToken) => storage.TableAsync(Rooms, cancellationToken);

    public Task<TableClient> RequestsAsync(CancellationToken cancellationToken) => storage.TableAsync(Requests, cancellationToken);

    public Task<TableClient> DaysAsync(CancellationToken cancellationToken) => storage.TableAsync(Days, cancellationToken);

    public Task<BlobContainerClient> PhotosAsync(CancellationToken cancellationToken) => storage.ContainerAsync(Photos, cancellationToken);
}
