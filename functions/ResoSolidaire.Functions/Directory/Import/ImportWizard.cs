using ResoSolidaire.Functions.Directory.Vocabularies;

namespace ResoSolidaire.Functions.Directory.Import;

/// <summary>A staged import read with its current choices: the file's reading, and its rows by column when the columns are named.</summary>
public sealed record WizardView(StagedImport Staged, ReadFile Read, IReadOnlyList<Column?> Columns, ParsedSpreadsheet? Sheet)
{
    public WizardState State => Staged.State;
}

/// <summary>An unknown value with what is decided for it now (this import's choice, else the one remembered), if anything.</summary>
public sealed record ValueChoice(UnknownValue Value, ValueDecision? Decision);

/// <summary>
/// The console's import wizard, step by step: upload, reading (encoding, separator, header line), columns, unknown
/// values, dry run, import. Each step is kept in the staging area (<see cref="ImportStaging"/>); the directory and its
/// vocabularies are written at the last step only, by <see cref="ImportRunner"/> in the background so that a page can
/// follow the progress of a large file.
/// </summary>
public sealed class ImportWizard(
    ImportStaging staging,
    ActorImporter importer,
    VocabularyStore vocabularies,
    EmailHasher emailHasher,
    TimeProvider time,
    ILogger<ImportWizard> logger)
{
    /// <summary>A running import silent longer than this has stopped (its instance restarted).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Keeps an uploaded file, if it can be read at all; otherwise why not (nothing kept).</summary>
    public async Task<(StagedImport? Staged, FileRefusal? Refusal)> UploadAsync(StaffMember by, string? fileName, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var read = importer.Read(content, SheetLayout.Detect);
        if (read.Refusal is { } refusal)
        {
            return (null, refusal);
        }

        var hashes = read.Sheet.Rows.Append(new RawRow(read.Sheet.HeaderLine, [.. read.Sheet.Headers]))
            .SelectMany(r => r.Cells)
            .SelectMany(c => c.Split([',', ';', ' ', '\n', '/', '<', '>'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(emailHasher.HashOrNull)
            .OfType<string>();
        var staged = await staging.CreateAsync(by, string.IsNullOrWhiteSpace(fileName) ? "tableur.csv" : fileName, content, hashes, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Import {ImportId} uploaded: {Bytes} bytes, {Rows} rows", staged.State.Id, content.Length, read.Sheet.Rows.Count);
        return (staged, null);
    }

    /// <summary>The import with its file read as chosen so far; null when it is not this person's or no longer kept.</summary>
    public async Task<WizardView?> ViewAsync(string id, StaffMember by, CancellationToken cancellationToken)
    {
        var staged = await staging.GetAsync(id, by, cancellationToken).ConfigureAwait(false);
        if (staged is null)
        {
            return null;
        }

        var file = await staging.FileAsync(id, cancellationToken).ConfigureAwait(false);
        var read = importer.Read(file, staged.State.Layout);
        var columns = ColumnsOf(staged.State, read.Sheet);
        var sheet = staged.State.Columns is null || read.Refusal is not null ? null : StaffSpreadsheet.Map(read.Sheet, columns);
        return new WizardView(staged, read, columns, sheet);
    }

    /// <summary>Changes the separator or the header line; the columns and values are chosen again after it.</summary>
    public async Task<StagedImport?> SetLayoutAsync(WizardView view, char? separator, int? headerLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var state = view.State;
        state.Separator = separator?.ToString();
        state.HeaderLine = headerLine;
        state.Columns = null;
        state.Decisions = null;
        state.DryRun = null;
        state.Step = WizardSteps.Reading;
        return await staging.TrySaveAsync(state, view.Staged.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Names the columns (one choice per column of the file); the errors say which choices cannot stand.</summary>
    public async Task<(StagedImport? Saved, FieldErrors Errors)> SetColumnsAsync(WizardView view, IReadOnlyList<Column?> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(columns);
        var errors = new FieldErrors();
        var headers = view.Read.Sheet.Headers;
        if (!columns.Contains(Column.Name))
        {
            errors.Add("colonne-0", "Choisissez la colonne qui porte le nom de chaque fiche (« Nom »).");
        }

        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] is { } column && !SpreadsheetColumns.IsList(column) && columns.Take(i).Contains(column))
            {
                errors.Add($"colonne-{i}", $"« {SpreadsheetColumns.Label(column)} » est déjà choisi pour une autre colonne : une seule colonne peut le remplir (seuls les e-mails, téléphones, secteurs et étiquettes peuvent venir de plusieurs colonnes).");
            }
        }

        if (errors.Any)
        {
            return (null, errors);
        }

        var state = view.State;
        state.Columns = Enumerable.Range(0, headers.Count).Select(i => i < columns.Count && columns[i] is { } c ? c.ToString() : "").ToList();
        state.Decisions = null;
        state.DryRun = null;
        state.Step = WizardSteps.Columns;
        return (await staging.TrySaveAsync(state, view.Staged.Version, cancellationToken).ConfigureAwait(false), errors);
    }

    /// <summary>The values of the kind and sector columns that the vocabularies do not know, with the decision in force for each.</summary>
    public async Task<IReadOnlyList<ValueChoice>> UnknownValuesAsync(WizardView view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Sheet is null)
        {
            return [];
        }

        var vocabulary = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var decisions = await DecisionsAsync(view.State, cancellationToken).ConfigureAwait(false);
        return ActorImporter.UnknownValues(view.Sheet, vocabulary)
            .Select(v => new ValueChoice(v, decisions.Of(v.Vocabulary, v.Value)))
            .ToList();
    }

    /// <summary>Records the decisions on the unknown values, then runs the dry run against what is stored now and keeps its report.</summary>
    public async Task<StagedImport?> CheckAsync(WizardView view, IReadOnlyList<(VocabularyName Vocabulary, ValueDecision Decision)> decisions, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(decisions);
        if (view.Sheet is null)
        {
            return null;
        }

        var state = view.State;
        state.Decisions = decisions.Select(d => new WizardDecision(VocabularyNames.Partition(d.Vocabulary), d.Decision.Value, d.Decision.Action.ToString(), d.Decision.TermCode)).ToList();
        var plan = await importer.PlanAsync(view.Read, view.Sheet, await DecisionsAsync(state, cancellationToken).ConfigureAwait(false), dryRun: true, by, cancellationToken).ConfigureAwait(false);
        await staging.SaveReportAsync(state.Id, ImportStaging.DryRunReport, plan.Report, cancellationToken).ConfigureAwait(false);
        state.DryRun = plan.Report.Summary;
        state.Step = WizardSteps.Checked;
        return await staging.TrySaveAsync(state, view.Staged.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Can this import start (or start again after an interruption) now?</summary>
    public bool CanStart(WizardState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Step is WizardSteps.Checked or WizardSteps.Interrupted || IsStale(state);
    }

    /// <summary>A running import whose instance stopped: no sign of life for <see cref="StaleAfter"/>.</summary>
    public bool IsStale(WizardState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Step == WizardSteps.Running && state.HeartbeatAt is { } beat && time.GetUtcNow() - beat > StaleAfter;
    }

    /// <summary>Marks the import as running (so a second click does not start it twice); the runner then writes it.</summary>
    public async Task<StagedImport?> MarkRunningAsync(StagedImport staged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var state = staged.State;
        var now = time.GetUtcNow();
        (state.Step, state.StartedAt, state.HeartbeatAt, state.FinishedAt) = (WizardSteps.Running, now, now, null);
        (state.Written, state.ToWrite, state.Problem) = (0, 0, null);
        return await staging.TrySaveAsync(state, staged.Version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Plans the import again against what is stored now (someone may have changed the directory since the dry run),
    /// writes it, and keeps its report; the state says how far it got, every second, for the progress page.
    /// </summary>
    public async Task RunAsync(string id, StaffMember by)
    {
        ArgumentNullException.ThrowIfNull(by);
        var cancellationToken = CancellationToken.None;
        var staged = await staging.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (staged is null)
        {
            return;
        }

        var saving = new SemaphoreSlim(1, 1);
        var version = staged.Version;
        var state = staged.State;
        async Task SaveAsync()
        {
            await saving.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                state.HeartbeatAt = time.GetUtcNow();
                version = (await staging.TrySaveAsync(state, version, cancellationToken).ConfigureAwait(false))?.Version ?? version;
            }
            finally
            {
                saving.Release();
            }
        }

        using var finished = new CancellationTokenSource();
        try
        {
            var file = await staging.FileAsync(id, cancellationToken).ConfigureAwait(false);
            var read = importer.Read(file, state.Layout);
            var sheet = StaffSpreadsheet.Map(read.Sheet, ColumnsOf(state, read.Sheet));
            if (sheet.Refusal is not null)
            {
                throw new InvalidOperationException("The file no longer reads as it did at the dry run.");
            }

            var plan = await importer.PlanAsync(read, sheet, await DecisionsAsync(state, cancellationToken).ConfigureAwait(false), dryRun: false, by, cancellationToken).ConfigureAwait(false);
            state.ToWrite = plan.ToWrite;
            await SaveAsync().ConfigureAwait(false);

            // The report is known once planned: it is kept while the rows are written (and again should they not all land).
            var report = staging.SaveReportAsync(id, ImportStaging.FinalReport, plan.Report with { Written = true }, cancellationToken);
            var heartbeat = BeatAsync(SaveAsync, finished.Token);
            var progressLock = new object();
            var written = await importer.WriteAsync(plan, by, new Progress(n =>
            {
                lock (progressLock)
                {
                    state.Written = Math.Max(state.Written, n);
                }
            })).ConfigureAwait(false);
            await finished.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);

            var complete = written == plan.ToWrite;
            await report.ConfigureAwait(false);
            if (!complete)
            {
                await staging.SaveReportAsync(id, ImportStaging.FinalReport, plan.Report, cancellationToken).ConfigureAwait(false);
            }

            state.Written = written;
            state.Step = complete ? WizardSteps.Done : WizardSteps.Interrupted;
            state.Problem = complete ? null : $"Le stockage a cessé de répondre : {written} ligne(s) sur {plan.ToWrite} ont été enregistrées. Relancez l'import : les lignes déjà enregistrées apparaîtront inchangées et les autres seront enregistrées.";
            state.FinishedAt = time.GetUtcNow();
            await SaveAsync().ConfigureAwait(false);
            logger.LogInformation("Import {ImportId}: {Written} of {ToWrite} actors written", id, written, plan.ToWrite);
        }
        catch (Exception ex) when (ex is RequestFailedException or InvalidOperationException or IOException or HttpRequestException)
        {
            await finished.CancelAsync().ConfigureAwait(false);
            logger.LogError(ex, "Import {ImportId} stopped", id);
            state.Step = WizardSteps.Interrupted;
            state.Problem = "L'import s'est interrompu avant la fin. Relancez-le : les lignes déjà enregistrées apparaîtront inchangées et les autres seront enregistrées.";
            state.FinishedAt = time.GetUtcNow();
            await SaveAsync().ConfigureAwait(false);
        }
        finally
        {
            saving.Dispose();
        }
    }

    /// <summary>The decisions in force: those remembered from earlier imports, overridden by this import's.</summary>
    private async Task<ValueDecisions> DecisionsAsync(WizardState state, CancellationToken cancellationToken)
    {
        var decisions = await importer.RememberedAsync(cancellationToken).ConfigureAwait(false);
        foreach (var decision in state.Decisions ?? [])
        {
            var name = VocabularyNames.All.FirstOrDefault(n => VocabularyNames.Partition(n) == decision.Vocabulary);
            if (Enum.TryParse<ValueAction>(decision.Action, out var action))
            {
                decisions.Decide(name, new ValueDecision(decision.Value, action, decision.TermCode));
            }
        }

        return decisions;
    }

    /// <summary>The column of each header: as chosen at the columns step, else as recognised from its text.</summary>
    private static IReadOnlyList<Column?> ColumnsOf(WizardState state, RawSheet sheet) =>
        state.Columns is { } chosen && chosen.Count == sheet.Headers.Count
            ? chosen.Select(c => Enum.TryParse<Column>(c, out var column) ? column : (Column?)null).ToList()
            : sheet.RecognisedColumns;

    private async Task BeatAsync(Func<Task> save, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(ProgressInterval, time, stop).ConfigureAwait(false);
                await save().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The import finished.
        }
    }

    /// <summary>Reports the rows written as they land (from several batches at once).</summary>
    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

/// <summary>
/// Runs the wizard's imports in the background of the instance that received the « Importer » click, so that the
/// page answers at once and follows the progress; the host waits for a running import when it stops. Should the
/// instance die midway, the import shows as interrupted (no sign of life for <see cref="ImportWizard.StaleAfter"/>)
/// and running it again finishes it.
/// </summary>
public sealed class ImportRunner(ImportWizard wizard, ILogger<ImportRunner> logger) : Microsoft.Extensions.Hosting.IHostedService
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    public void Start(string id, StaffMember by)
    {
        var run = Task.Run(async () =>
        {
            try
            {
                await wizard.RunAsync(id, by).ConfigureAwait(false);
            }
            finally
            {
                _running.TryRemove(id, out _);
            }
        });
        _running[id] = run;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_running.IsEmpty)
        {
            return;
        }

        logger.LogInformation("Waiting for {Count} running import(s) before stopping", _running.Count);
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Stopped before {Count} import(s) finished: they show as interrupted and can be run again", _running.Count);
        }
    }
}
