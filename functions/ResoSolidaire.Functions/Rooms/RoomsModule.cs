using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Platform.Report;
using ResoSolidaire.Functions.Rooms.Console;

namespace ResoSolidaire.Functions.Rooms;

public static class RoomsModule
{
    /// <summary>
    /// The room sharing between member structures (docs/rooms.md): rooms offered and moderated (table Rooms,
    /// container of photos), booking requests (table RoomRequests) and the booked days (table RoomDays), the
    /// signed links of its mails, its calendars, its exports, personal data, figures and console pages.
    /// </summary>
    public static IServiceCollection AddRooms(this IServiceCollection services)
    {
        services.AddOptions<RoomsOptions>().BindConfiguration(RoomsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RoomsStorage>()
            .AddTable(RoomsStorage.Rooms)
            .AddTable(RoomsStorage.Days)
            .AddBlobContainer(RoomsStorage.Photos);
        services.AddFormTable(RoomsStorage.Requests);
        services.AddSingleton<RoomLinks>();
        services.AddSingleton<RoomMails>();
        services.AddSingleton<RoomDays>();
        services.AddSingleton<RoomCatalog>();
        services.AddSingleton<RoomOfferForm>();
        services.AddSingleton<BookingService>();
        services.AddSingleton<IFormMailSweeper>(sp => sp.GetRequiredService<BookingService>());
        services.AddSingleton<IPersonalDataStore, RoomsPersonalData>();
        services.AddSingleton<IExportDataset, RoomsExport>();
        services.AddSingleton<IExportDataset, RoomBookingsExport>();
        services.AddSingleton<IActivityFigures, RoomsFigures>();
        services.AddSingleton<IConsoleAttention, RoomsAttention>();
        services.AddConsoleSection("Salles", RoomsConsole.ListPath, 45);
        return services;
    }
}
