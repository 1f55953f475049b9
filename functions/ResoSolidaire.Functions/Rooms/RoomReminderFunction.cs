namespace ResoSolidaire.Functions.Rooms;

/// <summary>Once a day (RoomsReminderSchedule, UTC), mails both parties of each booking of tomorrow (Paris); the outbox's keys send each reminder once.</summary>
public sealed class RoomReminderFunction(BookingService bookings, ILogger<RoomReminderFunction> logger)
{
    [Function("RemindRoomBookings")]
    public async Task Run([TimerTrigger("%RoomsReminderSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var reminded = await bookings.RemindAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Room reminders: {Count} booking(s) of tomorrow reminded", reminded);
    }
}
