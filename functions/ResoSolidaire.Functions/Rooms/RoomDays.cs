namespace ResoSolidaire.Functions.Rooms;

/// <summary>A confirmed booking of one day: its hours, its request, and the borrowing structure's name (no person).</summary>
public sealed record BookedSlot(TimeRange Hours, string Request, string? Structure);

/// <summary>One room's confirmed bookings of one day (partition the room's id, row key yyyy-MM-dd): the lock of that day.</summary>
public sealed class RoomDayEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The day's slots as JSON: [{"from":"09:00","to":"12:00","request":"SL-2026-0001","structure":"…"}].</summary>
    public string Slots { get; set; } = "[]";

    public IReadOnlyList<BookedSlot> Read() =>
        [.. (JsonSerializer.Deserialize<List<StoredSlot>>(Slots) ?? []).Select(s => new BookedSlot(new TimeRange(TimeOnly.Parse(s.From, CultureInfo.InvariantCulture), TimeOnly.Parse(s.To, CultureInfo.InvariantCulture)), s.Request, s.Structure))];

    public void Write(IEnumerable<BookedSlot> slots) =>
        Slots = JsonSerializer.Serialize(slots.OrderBy(s => s.Hours.From).Select(s => new StoredSlot(Schedule.Text(s.Hours.From), Schedule.Text(s.Hours.To), s.Request, s.Structure)).ToList());

    private sealed record StoredSlot(string From, string To, string Request, string? Structure);
}

public enum BookOutcome
{
    /// <summary>The slot is now the request's.</summary>
    Booked,

    /// <summary>Another confirmed booking of that day overlaps it.</summary>
    Clash,

    /// <summary>Other writers kept changing the day: nothing was written, try again.</summary>
    Busy,
}

/// <summary>
/// The confirmed bookings, one row per room and day. Confirming a slot reads the day's row, checks that no
/// slot overlaps, and writes the row back under its ETag (If-Match), or adds it when the day had none (a
/// second writer's Add fails with 409): of two requests racing for overlapping hours, exactly one lands;
/// the other re-reads the day and finds the clash. Single-row conditional writes, which Azure and Azurite
/// both honour (unlike If-Match inside a batch). See docs/rooms.md.
/// </summary>
public sealed class RoomDays(RoomsStorage storage)
{
    /// <summary>Re-reads after losing a race on the same day; contenders are a handful of people.</summary>
    private const int Attempts = 8;

    public async Task<IReadOnlyList<BookedSlot>> BookedAsync(string roomId, DateOnly day, CancellationToken cancellationToken)
    {
        var table = await storage.DaysAsync(cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<RoomDayEntity>(roomId, LocalDates.ToText(day), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue && found.Value is { } row ? row.Read() : [];
    }

    /// <summary>The confirmed bookings of a room between two days (both included), by day.</summary>
    public async Task<IReadOnlyList<(DateOnly Day, BookedSlot Slot)>> RangeAsync(string roomId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var table = await storage.DaysAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {roomId} and RowKey ge {LocalDates.ToText(from)} and RowKey le {LocalDates.ToText(to)}");
        var rows = await EmailHashMigrations.RowsAsync(table.QueryAsync<RoomDayEntity>(filter, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.SelectMany(r => r.Read().Select(s => (LocalDates.Parse(r.RowKey)!.Value, s))).OrderBy(b => b.Item1).ThenBy(b => b.s.Hours.From)];
    }

    /// <summary>Every room's bookings of one day (the reminders of the day before).</summary>
    public async Task<IReadOnlyList<(string RoomId, BookedSlot Slot)>> OnDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var table = await storage.DaysAsync(cancellationToken).ConfigureAwait(false);
        var rows = await EmailHashMigrations.RowsAsync(table.QueryAsync<RoomDayEntity>(TableClient.CreateQueryFilter($"RowKey eq {LocalDates.ToText(day)}"), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.SelectMany(r => r.Read().Select(s => (r.PartitionKey, s)))];
    }

    /// <summary>Books the slot for its request unless another booking of that day overlaps it; booking twice for the same request is a no-op.</summary>
    public async Task<BookOutcome> BookAsync(string roomId, DateOnly day, BookedSlot slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slot);
        var table = await storage.DaysAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var found = await table.GetEntityIfExistsAsync<RoomDayEntity>(roomId, LocalDates.ToText(day), cancellationToken: cancellationToken).ConfigureAwait(false);
            var row = found.HasValue ? found.Value : null;
            var slots = row?.Read() ?? [];
            if (slots.Any(s => s.Request == slot.Request && s.Hours == slot.Hours))
            {
                return BookOutcome.Booked;
            }

            if (slots.Any(s => s.Hours.Overlaps(slot.Hours)))
            {
                return BookOutcome.Clash;
            }

            var next = row ?? new RoomDayEntity { PartitionKey = roomId, RowKey = LocalDates.ToText(day) };
            next.Write([.. slots, slot]);
            try
            {
                if (row is null)
                {
                    await table.AddEntityAsync(next, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.UpdateEntityAsync(next, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return BookOutcome.Booked;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Another booking of that day landed between our read and our write: read the day again.
            }
        }

        return BookOutcome.Busy;
    }

    /// <summary>Removes a request's slots from a day (a cancellation); the row goes when the day is empty.</summary>
    public async Task<bool> ReleaseAsync(string roomId, DateOnly day, string request, CancellationToken cancellationToken)
    {
        var table = await storage.DaysAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var found = await table.GetEntityIfExistsAsync<RoomDayEntity>(roomId, LocalDates.ToText(day), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue || found.Value is not { } row)
            {
                return true;
            }

            var slots = row.Read();
            var kept = slots.Where(s => s.Request != request).ToList();
            if (kept.Count == slots.Count)
            {
                return true;
            }

            try
            {
                if (kept.Count == 0)
                {
                    await table.DeleteEntityAsync(roomId, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    row.Write(kept);
                    await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                // Changed meanwhile: read the day again.
            }
        }

        return false;
    }

    /// <summary>Deletes the day rows before <paramref name="before"/>, except the slots of requests staff keep; returns how many slots went.</summary>
    public async Task<int> PurgeBeforeAsync(DateOnly before, IReadOnlySet<string> kept, CancellationToken cancellationToken)
    {
        var table = await storage.DaysAsync(cancellationToken).ConfigureAwait(false);
        var rows = await EmailHashMigrations.RowsAsync(table.QueryAsync<RoomDayEntity>(TableClient.CreateQueryFilter($"RowKey lt {LocalDates.ToText(before)}"), cancellationToken: cancellationToken)).ConfigureAwait(false);
        var removed = 0;
        foreach (var row in rows)
        {
            var slots = row.Read();
            var stay = slots.Where(s => kept.Contains(s.Request)).ToList();
            if (stay.Count == slots.Count)
            {
                continue;
            }

            removed += slots.Count - stay.Count;
            try
            {
                if (stay.Count == 0)
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    row.Write(stay);
                    await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                // Changed meanwhile: the next daily pass takes it up.
            }
        }

        return removed;
    }
}
