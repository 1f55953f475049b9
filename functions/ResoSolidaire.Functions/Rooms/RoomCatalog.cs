using Azure.Storage.Blobs.Models;
using ResoSolidaire.Functions.Directory;

namespace ResoSolidaire.Functions.Rooms;

public enum RoomOutcome
{
    Done,
    NotFound,
    AlreadyModerated,
    UnknownActor,
    Stale,
}

/// <summary>The filters of the public search; each one optional, they combine.</summary>
public sealed record RoomSearch(string? Commune = null, string? Epci = null, int? Capacity = null, IReadOnlyList<string>? Equipment = null, bool? Accessible = null, DateOnly? Date = null, TimeRange? Hours = null);

/// <summary>
/// The rooms: offers from the website's form (pending until staff moderate them and link them to their
/// structure in the directory), rooms entered or edited by staff, the public search, photos.
/// </summary>
public sealed class RoomCatalog(
    RoomsStorage storage,
    ActorStore actors,
    RoomMails mails,
    MailOutbox outbox,
    EmailHasher emailHasher,
    TimeProvider time,
    ILogger<RoomCatalog> logger)
{
    /// <summary>Who offered a room through the website's form.</summary>
    public const string FromForm = "formulaire";

    public async Task<string> OfferAsync(RoomEntity room, IReadOnlyList<PhotoUpload> photos, string offeredBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(photos);
        room.RowKey = RoomEntity.NewId();
        room.Status = RoomStatus.Pending;
        room.OfferedBy = offeredBy;
        room.ContactEmailHash = emailHasher.Hash(EmailAddress.Parse(room.ContactEmail));
        room.Photos = await UploadAsync(room.RowKey, photos, cancellationToken).ConfigureAwait(false);
        var table = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(room, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            await DeletePhotosAsync(room.RowKey, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        logger.LogInformation("Room {RoomId} offered with {PhotoCount} photo(s)", room.RowKey, photos.Count);
        await outbox.SendAsync(mails.OfferToStaff(room), "room-offer-" + room.RowKey, cancellationToken).ConfigureAwait(false);
        return room.RowKey;
    }

    /// <summary>A room entered by staff: published at once, lent by an actor of the directory.</summary>
    public async Task<(RoomOutcome Outcome, RoomEntity? Room)> CreateAsync(RoomEntity room, string actorId, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(member);
        if (await actors.GetAsync(actorId, cancellationToken).ConfigureAwait(false) is not { } actor)
        {
            return (RoomOutcome.UnknownActor, null);
        }

        var now = time.GetUtcNow();
        room.RowKey = RoomEntity.NewId();
        room.Status = RoomStatus.Published;
        room.ActorId = actor.RowKey;
        room.Structure = actor.Name;
        room.OfferedAt = now;
        room.OfferedBy = member.Name;
        room.ModeratedAt = now;
        room.ModeratedBy = member.Name;
        room.ModeratedByObjectId = member.ObjectId;
        room.ContactEmailHash = emailHasher.Hash(EmailAddress.Parse(room.ContactEmail));
        var table = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(room, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Room {RoomId} entered by staff", room.RowKey);
        return (RoomOutcome.Done, room);
    }

    /// <summary>Replaces a room's fields (not its status, structure link or photos), under the version the editor read.</summary>
    public async Task<(RoomOutcome Outcome, RoomEntity? Room)> UpdateAsync(string id, RoomEntity fields, ETag ifMatch, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(member);
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } room)
        {
            return (RoomOutcome.NotFound, null);
        }

        (room.Name, room.Kind, room.Capacity, room.Equipment, room.Accessible) = (fields.Name, fields.Kind, fields.Capacity, fields.Equipment, fields.Accessible);
        (room.Address, room.CommuneInsee, room.CommuneName, room.Epci) = (fields.Address, fields.CommuneInsee, fields.CommuneName, fields.Epci);
        (room.Conditions, room.Price, room.Description, room.WeeklyHours, room.ClosedPeriods) = (fields.Conditions, fields.Price, fields.Description, fields.WeeklyHours, fields.ClosedPeriods);
        (room.ContactName, room.ContactEmail, room.ContactPhone) = (fields.ContactName, fields.ContactEmail, fields.ContactPhone);
        room.ContactEmailHash = emailHasher.Hash(EmailAddress.Parse(room.ContactEmail));
        (room.UpdatedAt, room.UpdatedBy, room.UpdatedByObjectId) = (time.GetUtcNow(), member.Name, member.ObjectId);
        return await ReplaceAsync(room, ifMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes a pending offer, lent by <paramref name="actorId"/> of the directory; the contact is told.</summary>
    public async Task<(RoomOutcome Outcome, RoomEntity? Room)> ApproveAsync(string id, string actorId, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } room)
        {
            return (RoomOutcome.NotFound, null);
        }

        if (room.Status != RoomStatus.Pending)
        {
            return (RoomOutcome.AlreadyModerated, room);
        }

        if (await actors.GetAsync(actorId, cancellationToken).ConfigureAwait(false) is not { } actor)
        {
            return (RoomOutcome.UnknownActor, room);
        }

        room.Status = RoomStatus.Published;
        room.ActorId = actor.RowKey;
        room.Structure = actor.Name;
        (room.ModeratedAt, room.ModeratedBy, room.ModeratedByObjectId) = (time.GetUtcNow(), member.Name, member.ObjectId);
        var (outcome, saved) = await ReplaceAsync(room, room.ETag, cancellationToken).ConfigureAwait(false);
        if (outcome != RoomOutcome.Done)
        {
            return (outcome == RoomOutcome.Stale ? RoomOutcome.AlreadyModerated : outcome, room);
        }

        logger.LogInformation("Room {RoomId} published", id);
        await outbox.SendAsync(mails.Published(saved!), "room-published-" + id, cancellationToken).ConfigureAwait(false);
        return (RoomOutcome.Done, saved);
    }

    /// <summary>Refuses a pending offer with a reason mailed to its contact.</summary>
    public async Task<(RoomOutcome Outcome, RoomEntity? Room)> RejectAsync(string id, string reason, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } room)
        {
            return (RoomOutcome.NotFound, null);
        }

        if (room.Status != RoomStatus.Pending)
        {
            return (RoomOutcome.AlreadyModerated, room);
        }

        room.Status = RoomStatus.Rejected;
        room.RejectionReason = reason;
        (room.ModeratedAt, room.ModeratedBy, room.ModeratedByObjectId) = (time.GetUtcNow(), member.Name, member.ObjectId);
        var (outcome, saved) = await ReplaceAsync(room, room.ETag, cancellationToken).ConfigureAwait(false);
        if (outcome != RoomOutcome.Done)
        {
            return (outcome == RoomOutcome.Stale ? RoomOutcome.AlreadyModerated : outcome, room);
        }

        logger.LogInformation("Room {RoomId} refused", id);
        await outbox.SendAsync(RoomMails.Refused(saved!), "room-refused-" + id, cancellationToken).ConfigureAwait(false);
        return (RoomOutcome.Done, saved);
    }

    /// <summary>Takes a published room off the public list (bookings already confirmed stay).</summary>
    public async Task<(RoomOutcome Outcome, RoomEntity? Room)> SetPublishedAsync(string id, bool published, StaffMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } room)
        {
            return (RoomOutcome.NotFound, null);
        }

        if (room.Status is not (RoomStatus.Published or RoomStatus.Withdrawn) || room.ActorId is null)
        {
            return (RoomOutcome.AlreadyModerated, room);
        }

        room.Status = published ? RoomStatus.Published : RoomStatus.Withdrawn;
        (room.UpdatedAt, room.UpdatedBy, room.UpdatedByObjectId) = (time.GetUtcNow(), member.Name, member.ObjectId);
        return await ReplaceAsync(room, room.ETag, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RoomEntity?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!RoomEntity.IsId(id))
        {
            return null;
        }

        var table = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<RoomEntity>(RoomEntity.Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>A published room (what the public may see and book).</summary>
    public async Task<RoomEntity?> GetPublishedAsync(string id, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken).ConfigureAwait(false) is { Status: RoomStatus.Published } room ? room : null;

    /// <summary>Every room of one status, or all, by name (a network has dozens of rooms: one partition read).</summary>
    public async Task<IReadOnlyList<RoomEntity>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        var table = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {RoomEntity.Partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {RoomEntity.Partition} and Status eq {status}");
        var rooms = await EmailHashMigrations.RowsAsync(table.QueryAsync<RoomEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rooms.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>The published rooms of one structure of the directory.</summary>
    public async Task<IReadOnlyList<RoomEntity>> OfActorAsync(string actorId, CancellationToken cancellationToken)
    {
        var table = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RoomEntity.Partition} and ActorId eq {actorId} and Status eq {RoomStatus.Published}");
        return await EmailHashMigrations.RowsAsync(table.QueryAsync<RoomEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The published rooms matching the filters (the date and hours: open then, and no confirmed booking then).</summary>
    public async Task<IReadOnlyList<RoomEntity>> SearchAsync(RoomSearch search, RoomDays days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(days);
        var found = new List<RoomEntity>();
        foreach (var room in await ListAsync(RoomStatus.Published, cancellationToken).ConfigureAwait(false))
        {
            if ((search.Commune is not null && room.CommuneInsee != search.Commune)
                || (search.Epci is not null && room.Epci != search.Epci)
                || (search.Capacity is { } capacity && room.Capacity < capacity)
                || (search.Accessible == true && !room.Accessible)
                || (search.Equipment is { Count: > 0 } wanted && wanted.Except(room.EquipmentCodes).Any()))
            {
                continue;
            }

            if (search.Date is { } date)
            {
                var hours = search.Hours;
                var open = hours is { } h
                    ? Schedule.Unavailability(room.Slots, room.Closed, date, h) is null
                    : !room.Closed.Any(p => p.Contains(date)) && room.Slots.Any(s => s.Day == date.DayOfWeek);
                if (!open || (hours is { } wantedHours && (await days.BookedAsync(room.RowKey, date, cancellationToken).ConfigureAwait(false)).Any(b => b.Hours.Overlaps(wantedHours))))
                {
                    continue;
                }
            }

            found.Add(room);
        }

        return found;
    }

    /// <summary>Structures of the directory whose name matches, to link an offer to (a few at most).</summary>
    public async Task<IReadOnlyList<ActorEntity>> CandidatesAsync(string name, CancellationToken cancellationToken)
    {
        var page = await actors.SearchByNameAsync(name, 20, null, cancellationToken).ConfigureAwait(false);
        return page.Items;
    }

    public Task<ActorEntity?> ActorAsync(string id, CancellationToken cancellationToken) => actors.GetAsync(id, cancellationToken);

    /// <summary>A photo of a published room, as stored.</summary>
    /// <summary>
    /// A photo of a room, with the content type sniffed when it was sent and without its metadata: the public sees
    /// those of published rooms only, staff (<paramref name="anyStatus"/>) those of every room, offers to moderate included.
    /// </summary>
    public async Task<(byte[] Content, string ContentType)?> PhotoAsync(string id, int number, bool anyStatus, CancellationToken cancellationToken)
    {
        var room = anyStatus ? await GetAsync(id, cancellationToken).ConfigureAwait(false) : await GetPublishedAsync(id, cancellationToken).ConfigureAwait(false);
        if (room?.PhotoList.FirstOrDefault(p => p.Number == number) is not { } photo)
        {
            return null;
        }

        var container = await storage.PhotosAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await container.GetBlobClient(photo.Blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var type = photo.ContentType == FileSniffer.Png.ContentType ? FileSniffer.Png : FileSniffer.Jpeg;
            return (PhotoMetadata.Strip(content.Value.Content.ToArray(), type), type.ContentType);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeletePhotosAsync(string id, CancellationToken cancellationToken)
    {
        var container = await storage.PhotosAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, id + "/", cancellationToken).ConfigureAwait(false))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(RoomOutcome, RoomEntity?)> ReplaceAsync(RoomEntity room, ETag ifMatch, CancellationToken cancellationToken)
    {
        var table = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(room, ifMatch, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            room.ETag = response.Headers.ETag ?? default;
            return (RoomOutcome.Done, room);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return (RoomOutcome.Stale, null);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return (RoomOutcome.NotFound, null);
        }
    }

    private async Task<string?> UploadAsync(string id, IReadOnlyList<PhotoUpload> photos, CancellationToken cancellationToken)
    {
        if (photos.Count == 0)
        {
            return null;
        }

        var container = await storage.PhotosAsync(cancellationToken).ConfigureAwait(false);
        var lines = new List<string>();
        for (var i = 0; i < photos.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{id}/{i + 1}{photos[i].Type.Extension}");
            await container.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(PhotoMetadata.Strip(photos[i].Content, photos[i].Type)),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = photos[i].Type.ContentType } },
                cancellationToken).ConfigureAwait(false);
            lines.Add(name + " " + photos[i].Type.ContentType);
        }

        return string.Join('\n', lines);
    }
}
