using Azure.Storage.Blobs.Models;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>
/// The room sharing's personal data: the requesters of bookings (their requests, by the keyed hash of their
/// address) and the rooms' contacts. Erasure deletes a person's requests and releases their dates still to come
/// (a cancellation without mail: the address is gone); a room whose contact asks for erasure is withdrawn and its
/// contact blanked. Retention: a request goes Retention:RoomBookings after its last date unless staff keep it,
/// its day slots with it; a refused offer goes Retention:RejectedRoomOffers after its refusal.
/// </summary>
public sealed class RoomsPersonalData(RoomsStorage storage, RoomDays days, EmailHasher emailHasher, IOptions<RetentionOptions> retention, TimeProvider time) : IPersonalDataStore, IEmailHashMigration
{
    public string Name => "salles";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var records = new List<JsonObject>();
        records.AddRange((await RequestsOfAsync(subject, cancellationToken).ConfigureAwait(false)).Select(r => RequestStatus.Terms.Relabel(PersonalRecords.Of("demande-de-reservation", r))));
        records.AddRange((await RoomsOfAsync(subject, cancellationToken).ConfigureAwait(false)).Select(r => RoomStatus.Terms.Relabel(PersonalRecords.Of("salle-contact", r))));
        return records;
    }

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var records = new List<PersonalRecord>();
        foreach (var request in (await RequestsOfAsync(subject, cancellationToken).ConfigureAwait(false)).OrderBy(r => r.CreatedAt))
        {
            records.Add(new PersonalRecord(
                $"Demande de salle {request.Reference} du {PersonalRecords.DateTime(request.CreatedAt)}",
                PersonalRecords.Fields(
                    ("Salle", request.RoomName),
                    ("Nom", request.Name),
                    ("Structure", request.Structure),
                    ("Adresse e-mail", request.Email),
                    ("Téléphone", FieldRules.PhoneForPeople(request.Phone)),
                    ("Pour quoi", request.Purpose),
                    ("Nombre de personnes", request.People.ToString(CultureInfo.InvariantCulture)),
                    ("Dates demandées", Days(request.DateList)),
                    ("Horaires", Schedule.FrenchSpan(request.Hours)),
                    ("Dates confirmées", Days(request.ConfirmedList)),
                    ("État", RequestStatus.Terms.Label(request.Status)),
                    ("Message de la réponse", request.Message),
                    ("Consentement", request.ConsentAt is { } at ? $"donné le {PersonalRecords.DateTime(at)} (texte version {request.ConsentTextVersion})" : null)),
                ErasureEffect.Deleted,
                request.ConfirmedList.Any(d => d >= LocalDates.Today(time)) ? "Les dates réservées encore à venir sont libérées, sans courriel à la structure qui prête la salle." : null));
        }

        foreach (var room in await RoomsOfAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            records.Add(new PersonalRecord(
                $"Contact de la salle « {room.Name} » ({room.Structure})",
                PersonalRecords.Fields(("Nom", room.ContactName), ("Adresse e-mail", room.ContactEmail), ("Téléphone", FieldRules.PhoneForPeople(room.ContactPhone)), ("État de la salle", RoomStatus.Terms.Label(room.Status))),
                ErasureEffect.Anonymised,
                "La salle reste dans l'outil, sans contact et retirée des salles publiées : la structure qui la prête pourra en donner un autre."));
        }

        return new PersonalDataSection(
            "Salles à partager",
            "Organiser le prêt de salles entre structures : les demandes de réservation (gardées un an après leur dernière date) et les personnes à contacter pour une salle.",
            records);
    }

    private static string? Days(IReadOnlyList<DateOnly> days) => days.Count == 0 ? null : string.Join(", ", days.Select(PersonalRecords.Date));

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        var requests = await RequestsOfAsync(subject, cancellationToken).ConfigureAwait(false);
        var today = LocalDates.Today(time);
        var table = await storage.RequestsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var request in requests)
        {
            foreach (var day in request.ConfirmedList.Where(d => d >= today))
            {
                await days.ReleaseAsync(request.RoomId, day, request.Reference, cancellationToken).ConfigureAwait(false);
            }

            await table.DeleteEntityAsync(request.PartitionKey, request.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }

        var rooms = await RoomsOfAsync(subject, cancellationToken).ConfigureAwait(false);
        var roomTable = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var room in rooms)
        {
            room.Status = room.Status == RoomStatus.Published ? RoomStatus.Withdrawn : room.Status;
            (room.ContactName, room.ContactEmail, room.ContactEmailHash, room.ContactPhone) = ("", "", "", null);
            await roomTable.UpdateEntityAsync(room, ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        return requests.Count + rooms.Count;
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = retention.Value;
        var before = LocalDates.DayOf(now - options.RoomBookings);
        var table = await storage.RequestsAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {BookingRequestEntity.ReferencePrefix} and RowKey lt {BookingRequestEntity.ReferencePrefix + "~"}");
        var all = await EmailHashMigrations.RowsAsync(table.QueryAsync<BookingRequestEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var expired = all.Where(r => !r.Kept && LocalDates.Parse(r.LastDate) is { } last && last < before).ToList();
        await TableBatches.DeleteAsync(table, expired, cancellationToken).ConfigureAwait(false);
        var kept = all.Where(r => r.Kept).Select(r => r.Reference).ToHashSet(StringComparer.Ordinal);
        var slots = await days.PurgeBeforeAsync(before, kept, cancellationToken).ConfigureAwait(false);

        var refusedBefore = now - options.RejectedRoomOffers;
        var rooms = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        var refused = await EmailHashMigrations.RowsAsync(rooms.QueryAsync<RoomEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {RoomEntity.Partition} and Status eq {RoomStatus.Rejected} and ModeratedAt lt {refusedBefore}"), cancellationToken: cancellationToken)).ConfigureAwait(false);
        await TableBatches.DeleteAsync(rooms, refused, cancellationToken).ConfigureAwait(false);
        var photos = await storage.PhotosAsync(cancellationToken).ConfigureAwait(false);
        foreach (var room in refused)
        {
            await foreach (var blob in photos.GetBlobsAsync(BlobTraits.None, BlobStates.None, room.RowKey + "/", cancellationToken).ConfigureAwait(false))
            {
                await photos.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        return
        [
            new PurgeCount("demandes de réservation passées", expired.Count),
            new PurgeCount("créneaux réservés passés", slots),
            new PurgeCount("propositions de salle refusées", refused.Count),
        ];
    }

    /// <summary>Requests and rooms stored before the hashes existed (none yet: the module is new; the hashes are written with every row).</summary>
    public async Task<int> HashMissingAsync(CancellationToken cancellationToken)
    {
        var requests = await storage.RequestsAsync(cancellationToken).ConfigureAwait(false);
        var rooms = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        return await EmailHashMigrations.HashColumnAsync(
                requests,
                TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {BookingRequestEntity.ReferencePrefix} and RowKey lt {BookingRequestEntity.ReferencePrefix + "~"}"),
                nameof(BookingRequestEntity.Email),
                nameof(BookingRequestEntity.EmailHash),
                emailHasher,
                cancellationToken).ConfigureAwait(false)
            + await EmailHashMigrations.HashColumnAsync(rooms, TableClient.CreateQueryFilter($"PartitionKey eq {RoomEntity.Partition}"), nameof(RoomEntity.ContactEmail), nameof(RoomEntity.ContactEmailHash), emailHasher, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<BookingRequestEntity>> RequestsOfAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var table = await storage.RequestsAsync(cancellationToken).ConfigureAwait(false);
        return await EmailHashMigrations.RowsAsync(table.QueryAsync<BookingRequestEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and EmailHash eq {subject.Hash}"), cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private async Task<List<RoomEntity>> RoomsOfAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var table = await storage.RoomsAsync(cancellationToken).ConfigureAwait(false);
        return await EmailHashMigrations.RowsAsync(table.QueryAsync<RoomEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {RoomEntity.Partition} and ContactEmailHash eq {subject.Hash}"), cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
