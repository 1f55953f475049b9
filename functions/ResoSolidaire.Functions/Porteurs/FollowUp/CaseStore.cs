namespace ResoSolidaire.Functions.Porteurs.FollowUp;

/// <summary>What a change to a case decided: the timeline entry to write, or why it cannot be made.</summary>
public sealed record CaseChange(CaseEventEntity? Event, CaseRefusal? Refusal)
{
    public static CaseChange Refused(CaseRefusal refusal) => new(null, refusal);

    public static CaseChange Made(CaseEventEntity entry) => new(entry, null);
}

/// <summary>A change that does not apply to the case as it stands (a phase move not allowed from its phase).</summary>
public sealed record CaseRefusal(string Title, string Detail, IReadOnlyList<string> Allowed);

public sealed record CaseSnapshot(PorteurEntity Intake, CaseStateEntity? State);

/// <summary>
/// Reads cases (the intake rows of the porteur form joined with their follow-up state) and applies changes.
/// The number of cases is in the hundreds: lists read both tables whole and join them in memory.
/// </summary>
public sealed class CaseStore(TableServiceClient tables, StorageNames names, StorageProvisioning storage, TimeProvider time)
{
    public const string TableName = "Cases";
    private const int Attempts = 3;


    public async Task<PorteurEntity?> IntakeAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            var found = await Intakes().GetEntityIfExistsAsync<PorteurEntity>(SubmissionLedger.Partition, reference, cancellationToken: cancellationToken).ConfigureAwait(false);
            return found.HasValue ? found.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<CaseSnapshot>> AllAsync(CancellationToken cancellationToken)
    {
        var cases = await CasesAsync(cancellationToken).ConfigureAwait(false);
        var states = new Dictionary<string, CaseStateEntity>(StringComparer.Ordinal);
        await foreach (var state in cases.QueryAsync<CaseStateEntity>(TableClient.CreateQueryFilter($"RowKey eq {CaseStateEntity.StateRow}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            states[state.PartitionKey] = state;
        }

        var snapshots = new List<CaseSnapshot>();
        var prefix = PorteurForm.ReferencePrefix + "-";
        var end = PorteurForm.ReferencePrefix + ".";
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {prefix} and RowKey lt {end}");
            await foreach (var intake in Intakes().QueryAsync<PorteurEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                snapshots.Add(new CaseSnapshot(intake, states.GetValueOrDefault(intake.Reference)));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // No porteur has written in yet: the form creates its table on the first submission.
        }

        return snapshots;
    }

    /// <summary>Every timeline entry of every case, by case reference (one scan of the table: the activity report).</summary>
    public async Task<IReadOnlyDictionary<string, List<CaseEventEntity>>> AllTimelinesAsync(CancellationToken cancellationToken)
    {
        var cases = await CasesAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"RowKey ge {CaseEventEntity.RowPrefix} and RowKey lt {"t."}");
        var timelines = new Dictionary<string, List<CaseEventEntity>>(StringComparer.Ordinal);
        await foreach (var entry in TablePages.RowsAsync<CaseEventEntity>(cases, filter, null, cancellationToken).ConfigureAwait(false))
        {
            if (!timelines.TryGetValue(entry.PartitionKey, out var list))
            {
                timelines[entry.PartitionKey] = list = [];
            }

            list.Add(entry);
        }

        return timelines;
    }

    public async Task<CaseStateEntity?> StateAsync(string reference, CancellationToken cancellationToken)
    {
        var cases = await CasesAsync(cancellationToken).ConfigureAwait(false);
        var found = await cases.GetEntityIfExistsAsync<CaseStateEntity>(reference, CaseStateEntity.StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? found.Value : null;
    }

    public async Task<IReadOnlyList<CaseEventEntity>> TimelineAsync(string reference, CancellationToken cancellationToken)
    {
        var cases = await CasesAsync(cancellationToken).ConfigureAwait(false);
        var from = CaseEventEntity.RowPrefix;
        var to = "t.";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {reference} and RowKey ge {from} and RowKey lt {to}");
        var entries = new List<CaseEventEntity>();
        await foreach (var entry in cases.QueryAsync<CaseEventEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>
    /// Applies a change: <paramref name="decide"/> sees the current state, changes it and returns the
    /// timeline entry (or a refusal). The state and the entry are written in one transaction, conditional on
    /// the state read; when someone else changed the case meanwhile, the decision is taken again on the new state.
    /// </summary>
    public async Task<(CaseStateEntity? State, CaseRefusal? Refusal)> ApplyAsync(string reference, StaffMember by, Func<CaseStateEntity, CaseChange> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentNullException.ThrowIfNull(by);
        var cases = await CasesAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await StateAsync(reference, cancellationToken).ConfigureAwait(false);
            var state = existing ?? new CaseStateEntity { PartitionKey = reference };
            var change = decide(state);
            if (change.Refusal is not null)
            {
                return (null, change.Refusal);
            }

            var now = time.GetUtcNow();
            state.UpdatedAt = now;
            state.UpdatedBy = by.Name;
            state.UpdatedByObjectId = by.ObjectId;
            var entry = change.Event!;
            entry.PartitionKey = reference;
            entry.RowKey = string.Create(CultureInfo.InvariantCulture, $"{CaseEventEntity.RowPrefix}{now.UtcTicks:D19}-{Guid.NewGuid():N}");
            entry.At = now;
            entry.By = by.Name;
            entry.ByObjectId = by.ObjectId;
            TableTransactionAction[] actions =
            [
                existing is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, state)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, existing.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, entry),
            ];
            try
            {
                await cases.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return (state, null);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && attempt < Attempts)
            {
                // Someone changed this case between our read and our write: decide again on what is there now.
            }
        }
    }

    private TableClient Intakes() => tables.GetTableClient(names.Table(PorteurForm.TableName));

    private Task<TableClient> CasesAsync(CancellationToken cancellationToken) => storage.TableAsync(TableName, cancellationToken);
}
