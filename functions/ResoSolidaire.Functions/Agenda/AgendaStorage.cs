using System.Collections.Concurrent;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Platform.Storage;

namespace ResoSolidaire.Functions.Agenda;

/// <summary>The agenda's table (AgendaEvents), created once per process on first use; only the agenda module knows it.</summary>
public sealed class AgendaStorage(TableServiceClient tables, StorageNames names)
{
    public const string Events = "AgendaEvents";

    private readonly ConcurrentDictionary<string, Task<TableClient>> _tables = new(StringComparer.Ordinal);

    public Task<TableClient> EventsAsync(CancellationToken cancellationToken) =>
        _tables.GetOrAdd(Events, n => CreateTableAsync(n, cancellationToken));

    private async Task<TableClient> CreateTableAsync(string name, CancellationToken cancellationToken)
    {
        var table = tables.GetTableClient(names.Table(name));
        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _tables.TryRemove(name, out _);
            throw;
        }

        return table;
    }
}
