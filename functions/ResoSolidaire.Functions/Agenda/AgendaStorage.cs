namespace ResoSolidaire.Functions.Agenda;

/// <summary>The agenda's table (AgendaEvents), created at start-up (declared in AddAgenda); only the agenda module knows it.</summary>
public sealed class AgendaStorage(StorageProvisioning storage)
{
    public const string Events = "AgendaEvents";

    public Task<TableClient> EventsAsync(CancellationToken cancellationToken) => storage.TableAsync(Events, cancellationToken);
}
