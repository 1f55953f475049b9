namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// The forms' technical records: rate-limit counters (keyed by a keyed hash of the client's address) and
/// duplicate markers (keyed hashes of a submission). Neither can be tied to an email address, so access and
/// erasure have nothing to find here; the purge deletes them after a day.
/// </summary>
public sealed class FormsPersonalData(TableServiceClient tables, StorageNames names, IEnumerable<FormTable> formTables, IOptions<RetentionOptions> retention) : IPersonalDataStore
{
    public string Name => "formulaires";

    public Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<JsonObject>>([]);

    public Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken) =>
        Task.FromResult(new PersonalDataSection("Formulaires du site", "Limiter les envois répétés et les doublons ; rien n'y est lié à une adresse.", []));

    public Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken) => Task.FromResult(0);

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = retention.Value;
        var limits = tables.GetTableClient(names.Table("FormRateLimits"));
        var limitsBefore = now - options.RateLimitRecords;
        var rateLimits = await DeleteAsync(limits, TableClient.CreateQueryFilter($"WindowEnd lt {limitsBefore}"), cancellationToken).ConfigureAwait(false);

        var markersBefore = now - options.DedupRecords;
        var markers = 0;
        foreach (var form in formTables.Select(t => t.Name).Distinct(StringComparer.Ordinal))
        {
            markers += await DeleteAsync(
                tables.GetTableClient(names.Table(form)),
                TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {DuplicateMarkerEntity.RowPrefix} and RowKey lt {"dedup."} and CreatedAt lt {markersBefore}"),
                cancellationToken).ConfigureAwait(false);
        }

        return [new PurgeCount("compteurs de limitation", rateLimits), new PurgeCount("marqueurs de doublon", markers)];
    }

    private static async Task<int> DeleteAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        try
        {
            return await TableBatches.DeleteAsync(table, table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return 0;
        }
    }
}
