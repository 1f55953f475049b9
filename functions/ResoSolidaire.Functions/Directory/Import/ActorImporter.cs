using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Directory.Import;

public enum ImportStatus
{
    /// <summary>A dry run, or a real run whose writes all landed.</summary>
    Completed,

    /// <summary>The file cannot be read (encoding, quoting, missing name column, too many rows): nothing was looked at further.</summary>
    FileRefused,

    /// <summary>A real run with rejected rows (and no permission to skip them): nothing was written.</summary>
    RowsRejected,

    /// <summary>Storage failed during the writes: some batches landed, the rest did not. Re-running the same file is safe.</summary>
    Interrupted,
}

public sealed record ImportResult(ImportStatus Status, ImportReport? Report, FileRefusal? Refusal = null, int Written = 0, int ToWrite = 0);

/// <summary>A file read: how it was decoded and its cells, or why it cannot be read.</summary>
public sealed record ReadFile(string Encoding, RawSheet Sheet)
{
    public FileRefusal? Refusal => Sheet.Refusal;
}

/// <summary>
/// What an import will do, computed against the stored actors and vocabularies and not written yet: the report
/// row by row, the actors to write, the terms to create and the decisions on unknown values to remember.
/// </summary>
public sealed class ImportPlan
{
    internal ImportPlan(ImportReport report, IReadOnlyList<PlannedRow> rows, IReadOnlyList<TermEntity> newTerms, IReadOnlyDictionary<VocabularyName, IReadOnlyList<ValueDecision>> decisions)
    {
        Report = report;
        Rows = rows;
        NewTerms = newTerms;
        Decisions = decisions;
    }

    public ImportReport Report { get; }

    /// <summary>How many actors the import writes (created and updated rows).</summary>
    public int ToWrite => Rows.Count(r => r.Entity is not null);

    internal IReadOnlyList<PlannedRow> Rows { get; }

    internal IReadOnlyList<TermEntity> NewTerms { get; }

    internal IReadOnlyDictionary<VocabularyName, IReadOnlyList<ValueDecision>> Decisions { get; }
}

internal sealed record PlannedRow(ImportRowReport Report, ActorEntity? Entity, bool IsCreate);

/// <summary>
/// Imports a staff spreadsheet into the directory. Everything is read and checked first (decoding,
/// quoting, every row against the rules and against the existing actors), and only then written, in batch
/// transactions of up to 100 actors of one partition. A row is matched to an existing actor by its
/// identifier column if any, then SIRET, then e-mail, then name + commune, so running the same file twice
/// changes nothing the second time. Storage can still fail between two batches: the report then says how
/// many rows were written, and re-running the same file finishes the job (written rows come out
/// "unchanged", the others are written), since every row is matched again against what is stored.
/// The steps are separate for the console's wizard (<see cref="Read"/>, <see cref="StaffSpreadsheet.Map"/>,
/// <see cref="UnknownValues"/>, <see cref="PlanAsync"/>, <see cref="WriteAsync"/>); <see cref="ImportAsync"/> runs
/// them with the columns as recognised and the decisions remembered from earlier imports (the JSON endpoint).
/// </summary>
public sealed class ActorImporter(ActorStore store, VocabularyStore vocabularies, EmailHasher emailHasher, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<ActorImporter> logger)
{
    public const int BatchSize = 100;

    public async Task<ImportResult> ImportAsync(ReadOnlyMemory<byte> file, bool dryRun, bool skipRejected, StaffMember by, CancellationToken cancellationToken)
    {
        var read = Read(file.Span, SheetLayout.Detect);
        if (read.Refusal is not null)
        {
            return new ImportResult(ImportStatus.FileRefused, null, read.Refusal);
        }

        var sheet = StaffSpreadsheet.Map(read.Sheet, read.Sheet.RecognisedColumns);
        if (sheet.Refusal is not null)
        {
            return new ImportResult(ImportStatus.FileRefused, null, sheet.Refusal);
        }

        var decisions = await RememberedAsync(cancellationToken).ConfigureAwait(false);
        var plan = await PlanAsync(read, sheet, decisions, dryRun, by, cancellationToken).ConfigureAwait(false);
        var summary = plan.Report.Summary;
        if (dryRun)
        {
            return new ImportResult(ImportStatus.Completed, plan.Report);
        }

        if (summary.Rejected > 0 && !skipRejected)
        {
            return new ImportResult(ImportStatus.RowsRejected, plan.Report);
        }

        var written = await WriteAsync(plan, by, null).ConfigureAwait(false);
        return written == plan.ToWrite
            ? new ImportResult(ImportStatus.Completed, plan.Report with { Written = true }, Written: written, ToWrite: plan.ToWrite)
            : new ImportResult(ImportStatus.Interrupted, plan.Report, Written: written, ToWrite: plan.ToWrite);
    }

    /// <summary>Decodes the file and reads its cells, with the separator and header line given or detected.</summary>
    public ReadFile Read(ReadOnlySpan<byte> file, SheetLayout layout)
    {
        var decoded = SpreadsheetDecoder.Decode(file);
        if (decoded.Refusal is not null)
        {
            return new ReadFile("", new RawSheet(';', 1, [], [], decoded.Refusal));
        }

        return new ReadFile(decoded.Encoding, StaffSpreadsheet.Read(decoded.Text!, layout, options.Value.ImportMaxRows));
    }

    /// <summary>The decisions staff took on unknown values in earlier imports, for kinds and sectors.</summary>
    public async Task<ValueDecisions> RememberedAsync(CancellationToken cancellationToken)
    {
        var kinds = await vocabularies.RememberedAsync(VocabularyName.Kinds, cancellationToken).ConfigureAwait(false);
        var sectors = await vocabularies.RememberedAsync(VocabularyName.Sectors, cancellationToken).ConfigureAwait(false);
        return new ValueDecisions(kinds.Values.Select(d => (VocabularyName.Kinds, d)).Concat(sectors.Values.Select(d => (VocabularyName.Sectors, d))));
    }

    /// <summary>
    /// The values of the « Type » and « Secteurs » columns that the vocabularies do not know, with how many rows hold
    /// them and the first line, most frequent first.
    /// </summary>
    public static IReadOnlyList<UnknownValue> UnknownValues(ParsedSpreadsheet sheet, DirectoryVocabularies vocabulary)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var found = new Dictionary<(VocabularyName, string), (string Value, int Rows, int FirstLine)>();
        void Count(VocabularyName name, string value, int line)
        {
            var key = (name, TextKey.Of(value));
            if (key.Item2.Length == 0)
            {
                return;
            }

            found[key] = found.TryGetValue(key, out var seen) ? seen with { Rows = seen.Rows + 1 } : (value, 1, line);
        }

        foreach (var row in sheet.Rows)
        {
            if (row[Column.Kind] is { } kind && vocabulary.Kinds.Find(kind) is null)
            {
                Count(VocabularyName.Kinds, kind, row.Line);
            }

            foreach (var piece in SplitSectors(row[Column.Sectors], vocabulary.Sectors).Where(p => vocabulary.Sectors.Find(p) is null).Distinct(StringComparer.Ordinal))
            {
                Count(VocabularyName.Sectors, piece, row.Line);
            }
        }

        return found
            .OrderBy(f => f.Key.Item1)
            .ThenByDescending(f => f.Value.Rows)
            .ThenBy(f => f.Value.FirstLine)
            .Select(f => new UnknownValue(f.Key.Item1, f.Value.Value, f.Value.Rows, f.Value.FirstLine))
            .ToList();
    }

    /// <summary>
    /// Plans the import of a mapped sheet with the decisions on unknown values, against what is stored now. Nothing
    /// is written: the terms to create are only planned, and the rows that use them are checked as if they existed.
    /// </summary>
    public async Task<ImportPlan> PlanAsync(ReadFile read, ParsedSpreadsheet sheet, ValueDecisions decisions, bool dryRun, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(decisions);
        var current = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var (vocabulary, newTerms) = await WithNewTermsAsync(current, decisions, by, cancellationToken).ConfigureAwait(false);
        var existing = await ExistingActors.LoadAsync(store, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var claimed = new Dictionary<string, int>(StringComparer.Ordinal);
        var context = new RowContext(sheet.Columns, existing, claimed, vocabulary, decisions, now, by);
        var planned = new List<PlannedRow>(sheet.Rows.Count);
        foreach (var row in sheet.Rows)
        {
            planned.Add(PlanRow(row, context));
        }

        var rows = planned.Select(p => p.Report).ToList();
        var summary = new ImportSummary(
            rows.Count,
            rows.Count(r => r.Outcome == RowOutcome.Created),
            rows.Count(r => r.Outcome == RowOutcome.Updated),
            rows.Count(r => r.Outcome == RowOutcome.Unchanged),
            rows.Count(r => r.Outcome == RowOutcome.Rejected));
        var separator = sheet.Separator switch { '\t' => "tabulation", var c => c.ToString() };
        var columns = sheet.Columns.Order().Select(SpreadsheetColumns.Label).ToList();
        var report = new ImportReport(dryRun, false, read.Encoding, separator, columns, sheet.IgnoredHeaders, summary, rows);
        logger.LogInformation(
            "Import planned for {Rows} rows: {Created} to create, {Updated} to update, {Unchanged} unchanged, {Rejected} rejected, {Terms} new terms",
            summary.Rows, summary.Created, summary.Updated, summary.Unchanged, summary.Rejected, newTerms.Count);
        return new ImportPlan(report, planned, newTerms, decisions.ToRemember());
    }

    /// <summary>
    /// Writes a plan: the new terms first (the actors name them), the decisions to remember, then the actors, partition
    /// by partition in batches, <see cref="DirectoryOptions.ImportParallelism"/> at a time, reporting the rows written
    /// as it goes, and meanwhile the tags the vocabulary did not know. Returns how many actors landed.
    /// </summary>
    public async Task<int> WriteAsync(ImportPlan plan, StaffMember by, IProgress<int>? progress)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(by);

        // Once writing has started it goes on even if the caller disconnects: stopping halfway helps nobody.
        var cancellationToken = CancellationToken.None;
        var writes = plan.Rows.Where(p => p.Entity is not null).ToList();
        var written = 0;
        try
        {
            foreach (var term in plan.NewTerms)
            {
                await vocabularies.TryAddAsync(term, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (name, decisions) in plan.Decisions)
            {
                await vocabularies.RememberAsync(name, decisions, by, cancellationToken).ConfigureAwait(false);
            }

            var table = await store.TableAsync(cancellationToken).ConfigureAwait(false);
            foreach (var write in writes)
            {
                write.Entity!.HashEmails(emailHasher);
            }

            // The tags the list does not know join it while the actors are written (it offers tags; it does not check them).
            var tags = vocabularies.AddMissingTagsAsync(writes.SelectMany(w => ActorEntity.SplitList(w.Entity!.Tags)).ToList(), by, cancellationToken);
            var batches = writes
                .GroupBy(w => w.Entity!.PartitionKey, StringComparer.Ordinal)
                .SelectMany(g => g.Chunk(BatchSize))
                .ToList();
            await Parallel.ForEachAsync(
                batches,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.ImportParallelism },
                async (batch, ct) =>
                {
                    var actions = batch.Select(w => w.IsCreate
                        ? new TableTransactionAction(TableTransactionActionType.Add, w.Entity!)
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, w.Entity!, w.Entity!.ETag)).ToList();
                    await table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                    var landed = Interlocked.Add(ref written, batch.Length);
                    progress?.Report(landed);
                }).ConfigureAwait(false);

            await tags.ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            logger.LogError(ex, "Import interrupted by storage (status {Status}) after {Written} of {ToWrite} rows", ex.Status, written, writes.Count);
        }

        var summary = plan.Report.Summary;
        logger.LogInformation(
            "Import of {Rows} rows: {Created} created, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected, {Written} of {ToWrite} written",
            summary.Rows, summary.Created, summary.Updated, summary.Unchanged, summary.Rejected, written, writes.Count);
        return written;
    }

    /// <summary>The vocabularies with the terms that « create » decisions will add (and those terms, unwritten).</summary>
    private async Task<(DirectoryVocabularies Vocabulary, IReadOnlyList<TermEntity> NewTerms)> WithNewTermsAsync(DirectoryVocabularies current, ValueDecisions decisions, StaffMember by, CancellationToken cancellationToken)
    {
        var creations = decisions.All.Where(d => d.Decision.Action == ValueAction.Create).ToList();
        if (creations.Count == 0)
        {
            return (current, []);
        }

        var newTerms = new List<TermEntity>();
        var result = current;
        foreach (var name in new[] { VocabularyName.Kinds, VocabularyName.Sectors })
        {
            var wanted = creations.Where(c => c.Vocabulary == name).Select(c => c.Decision).ToList();
            if (wanted.Count == 0)
            {
                continue;
            }

            var stored = (await vocabularies.EntitiesAsync(name, cancellationToken).ConfigureAwait(false)).ToList();
            var vocabulary = current.Of(name);
            var added = new List<Term>();
            foreach (var decision in wanted)
            {
                if (vocabulary.Find(decision.Value) is not null || added.Any(t => TextKey.Of(t.Label) == TextKey.Of(decision.Value)))
                {
                    continue;
                }

                var term = vocabularies.NewTerm(name, decision.Value.Trim(), stored, by);
                stored.Add(term);
                newTerms.Add(term);
                added.Add(term.ToTerm());
                decisions.Resolve(name, decision.Value, term.RowKey);
            }

            var extended = new Vocabulary([.. vocabulary.All, .. added], vocabulary.Former);
            result = name == VocabularyName.Kinds ? result with { Kinds = extended } : result with { Sectors = extended };
        }

        return (result, newTerms);
    }

    /// <summary>What every row of one import is planned with.</summary>
    private sealed record RowContext(
        IReadOnlySet<Column> Columns,
        ExistingActors Existing,
        Dictionary<string, int> Claimed,
        DirectoryVocabularies Vocabulary,
        ValueDecisions Decisions,
        DateTimeOffset Now,
        StaffMember By);

    private static PlannedRow PlanRow(SpreadsheetRow row, RowContext context)
    {
        var (columns, existing, claimed, vocabulary, decisions, now, by) = context;
        var name = row[Column.Name];
        PlannedRow Reject(string reason) => new(new ImportRowReport(row.Line, RowOutcome.Rejected, name, null, reason, null), null, false);

        var problems = new List<string>();
        var communeGiven = columns.Contains(Column.Commune) || columns.Contains(Column.InseeCode);
        var communeInsee = communeGiven ? ResolveCommune(row, problems) : null;
        bool? newsletter = null;
        if (row[Column.Newsletter] is { } newsletterText)
        {
            newsletter = YesNo.Parse(newsletterText);
            if (newsletter is null)
            {
                problems.Add($"Newsletter : valeur non reconnue « {newsletterText} » (oui ou non).");
            }
        }

        string? consentDate = null;
        if (row[Column.ConsentDate] is { } consentDateText)
        {
            consentDate = ParseDay(consentDateText);
            if (consentDate is null)
            {
                problems.Add($"Consentement le : date non reconnue « {consentDateText} » (JJ/MM/AAAA ou AAAA-MM-JJ).");
            }
        }

        if (problems.Count > 0)
        {
            return Reject(string.Join(" ", problems));
        }

        // Which stored actor this row is, if any.
        ActorEntity? match;
        string? matchedBy;
        if (row[Column.Id] is { } id)
        {
            match = existing.ById(id);
            if (match is null)
            {
                return Reject($"Identifiant inconnu « {id} » : cet acteur a peut-être été supprimé. Videz la cellule pour le créer à nouveau.");
            }

            matchedBy = "identifiant";
        }
        else
        {
            var siret = Siret.Normalize(row[Column.Siret]);
            var emails = SplitEmails(row[Column.Emails]);
            var nameKey = TextKey.Of(name) + "|" + (communeInsee ?? "");
            (match, matchedBy) = siret is not null && existing.BySiret(siret) is { } bySiret ? (bySiret, "SIRET")
                : emails.Select(existing.ByEmail).FirstOrDefault(a => a is not null) is { } byEmail ? (byEmail, "e-mail")
                : name is not null && existing.ByNameAndCommune(nameKey) is { } byName ? (byName, "nom et commune")
                : ((ActorEntity?)null, (string?)null);
        }

        var input = Overlay(match is null ? Empty : ActorMapping.ToInput(match), row, context, communeInsee, newsletter, match);
        input = OverlayConsent(input, row, columns, consentDate, newsletter, match);

        // Old sheets say "oui" for everyone: a person without a recorded consent is imported opted out, and told so.
        List<string>? notices = null;
        if (ActorRules.LacksConsentForNewsletter(input, vocabulary))
        {
            input = input with { Newsletter = false };
            notices = ["Newsletter : non, faute de consentement enregistré pour cette personne (colonnes « Consentement le », « Source du consentement », « Version du texte de consentement »)."];
        }

        var (fields, errors) = ActorRules.Validate(input, vocabulary, LocalDates.DayOf(now));
        if (fields is null)
        {
            return Reject(string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        if (fields.Siret is not null && existing.BySiret(fields.Siret) is { } owner && owner.RowKey != match?.RowKey)
        {
            return Reject($"Ce SIRET appartient déjà à l'acteur « {owner.Name} » ({owner.RowKey}).");
        }

        // A row may not describe the same actor as an earlier row of the file.
        var keys = new List<(string Key, string Label)>();
        if (match is not null)
        {
            keys.Add(("id:" + match.RowKey, $"même acteur, trouvé par {matchedBy}"));
        }

        if (fields.Siret is not null)
        {
            keys.Add(("siret:" + fields.Siret, "même SIRET"));
        }

        keys.AddRange(fields.Emails.Select(e => ("email:" + EmailAddress.Parse(e).Key, "même e-mail")));
        keys.Add(("name:" + TextKey.Of(fields.Name) + "|" + (fields.Commune?.InseeCode ?? ""), "même nom et même commune"));
        foreach (var (key, label) in keys)
        {
            if (claimed.TryGetValue(key, out var line))
            {
                return Reject($"Doublon de la ligne {line} ({label}).");
            }
        }

        foreach (var (key, _) in keys)
        {
            claimed[key] = row.Line;
        }

        if (match is null)
        {
            var newId = ActorStore.NewId();
            var created = new ActorEntity { PartitionKey = ActorEntity.PartitionOf(newId), RowKey = newId };
            created.StampCreated(by, now);
            ActorMapping.Apply(created, fields);
            return new PlannedRow(new ImportRowReport(row.Line, RowOutcome.Created, fields.Name, newId, null, null, notices), created, true);
        }

        var updated = ActorMapping.CopyIdentity(match);
        ActorMapping.Apply(updated, fields);
        var changes = ActorMapping.Differences(match, updated);
        if (changes.Count == 0)
        {
            return new PlannedRow(new ImportRowReport(row.Line, RowOutcome.Unchanged, fields.Name, match.RowKey, null, null, notices), null, false);
        }

        updated.StampUpdated(by, now);
        return new PlannedRow(new ImportRowReport(row.Line, RowOutcome.Updated, fields.Name, match.RowKey, null, changes, notices), updated, false);
    }

    private static readonly ActorInput Empty = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>The columns present in the file replace the stored values (an empty cell clears), the others are kept.</summary>
    private static ActorInput Overlay(ActorInput stored, SpreadsheetRow row, RowContext context, string? communeInsee, bool? newsletter, ActorEntity? match)
    {
        var (columns, vocabulary, decisions) = (context.Columns, context.Vocabulary, context.Decisions);
        var input = stored with { Name = row[Column.Name] };

        // Unknown values go where staff decided: a term, the tags, or nowhere.
        var extraTags = new List<string>();
        if (row[Column.Kind] is { } kindText && Decide(VocabularyName.Kinds, kindText, vocabulary.Kinds, decisions, extraTags) is { } kind)
        {
            input = input with { Kind = kind };
        }

        if (columns.Contains(Column.LegalStatus))
        {
            input = input with { LegalStatus = row[Column.LegalStatus] };
        }

        if (columns.Contains(Column.Siret))
        {
            input = input with { Siret = row[Column.Siret] };
        }

        if (columns.Contains(Column.Sectors))
        {
            var sectors = SplitSectors(row[Column.Sectors], vocabulary.Sectors)
                .Select(piece => Decide(VocabularyName.Sectors, piece, vocabulary.Sectors, decisions, extraTags))
                .OfType<string>()
                .ToList();
            input = input with { Sectors = sectors };
        }

        if (columns.Contains(Column.Commune) || columns.Contains(Column.InseeCode))
        {
            input = input with { CommuneInsee = communeInsee };
            if (!columns.Contains(Column.Quartier) && communeInsee != match?.CommuneInsee)
            {
                input = input with { Quartier = null };
            }
        }

        if (columns.Contains(Column.PostalCode))
        {
            input = input with { PostalCode = row[Column.PostalCode] };
        }

        if (columns.Contains(Column.Quartier))
        {
            input = input with { Quartier = row[Column.Quartier] };
        }

        if (columns.Contains(Column.Address))
        {
            input = input with { Address = row[Column.Address] };
        }

        if (columns.Contains(Column.Emails))
        {
            input = input with { Emails = SplitEmails(row[Column.Emails]) };
        }

        if (columns.Contains(Column.Phones))
        {
            input = input with { Phones = Split(row[Column.Phones], [',', ';', '/', '\n']) };
        }

        if (columns.Contains(Column.Website))
        {
            input = input with { Website = row[Column.Website] };
        }

        if (columns.Contains(Column.Tags))
        {
            input = input with { Tags = Split(row[Column.Tags], [',', ';', '|', '\n']) };
        }

        if (extraTags.Count > 0)
        {
            input = input with { Tags = [.. input.Tags ?? [], .. extraTags] };
        }

        if (newsletter is not null)
        {
            input = input with { Newsletter = newsletter };
        }

        if (columns.Contains(Column.Notes))
        {
            input = input with { Notes = row[Column.Notes] };
        }

        return input;
    }

    /// <summary>
    /// The consent columns present replace the stored parts (an empty cell clears, as elsewhere). A consent
    /// given in the sheet to a person who had none, with no newsletter cell, turns the newsletter on: the
    /// default for a person with a consent.
    /// </summary>
    private static ActorInput OverlayConsent(ActorInput input, SpreadsheetRow row, IReadOnlySet<Column> columns, string? consentDate, bool? newsletter, ActorEntity? match)
    {
        if (!columns.Contains(Column.ConsentDate) && !columns.Contains(Column.ConsentSource) && !columns.Contains(Column.ConsentTextVersion))
        {
            return input;
        }

        var stored = input.Consent;
        var consent = new ActorConsentInput(
            columns.Contains(Column.ConsentDate) ? consentDate : stored?.Date,
            columns.Contains(Column.ConsentSource) ? row[Column.ConsentSource] : stored?.Source,
            columns.Contains(Column.ConsentTextVersion) ? row[Column.ConsentTextVersion] : stored?.TextVersion);
        var given = consent.Date is not null || consent.Source is not null || consent.TextVersion is not null;
        input = input with { Consent = given ? consent : null };
        if (given && newsletter is null && match?.ConsentDate is null)
        {
            input = input with { Newsletter = null };
        }

        return input;
    }

    private static readonly string[] DayFormats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "dd-MM-yyyy", "dd.MM.yyyy", "dd/MM/yy", "dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>A day as staff write it in a French sheet (14/03/2026, or as Excel saves it), as yyyy-MM-dd.</summary>
    private static string? ParseDay(string text) =>
        DateTime.TryParseExact(text.Trim(), DayFormats, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            ? LocalDates.ToText(DateOnly.FromDateTime(day))
            : null;

    /// <summary>The INSEE code of the row's commune: its code column, or its name (with the postal code if any).</summary>
    private static string? ResolveCommune(SpreadsheetRow row, List<string> problems)
    {
        if (row[Column.InseeCode] is { } code)
        {
            if (CommuneDirectory.Instance.FindByInseeCode(code) is { } byCode)
            {
                return byCode.InseeCode;
            }

            problems.Add($"Code INSEE inconnu : « {code} ».");
            return null;
        }

        if (row[Column.Commune] is not { } text)
        {
            return null;
        }

        var (commune, problem) = CommuneText.Resolve(text, row[Column.PostalCode]);
        if (problem is not null)
        {
            problems.Add(problem);
        }

        return commune?.InseeCode;
    }

    /// <summary>
    /// What a value of a vocabulary's column becomes: the term it names, else what staff decided for it (a term, a
    /// tag added to <paramref name="extraTags"/>, nothing); a value nobody decided on stays as written, and the rules
    /// refuse it.
    /// </summary>
    private static string? Decide(VocabularyName name, string value, Vocabulary vocabulary, ValueDecisions decisions, List<string> extraTags)
    {
        if (vocabulary.Find(value) is { } known)
        {
            return known.Code;
        }

        switch (decisions.Of(name, value))
        {
            case { Action: ValueAction.Term or ValueAction.Create, TermCode: { } code } when vocabulary.Find(code) is { } term:
                return term.Code;
            case { Action: ValueAction.Tag }:
                extraTags.Add(value.Length <= ActorRules.MaxTagLength ? value : value[..ActorRules.MaxTagLength].TrimEnd());
                return null;
            case { Action: ValueAction.Empty }:
                return null;
            default:
                return value;
        }
    }

    /// <summary>Sectors are split on ; | / + and line breaks; on commas too, unless the piece is a whole label ("Culture, loisirs").</summary>
    internal static List<string> SplitSectors(string? value, Vocabulary sectors) =>
        Split(value, [';', '|', '/', '+', '\n'])
            .SelectMany(piece => sectors.Find(piece) is not null ? [piece] : Split(piece, [',']))
            .ToList();

    private static List<string> SplitEmails(string? value) => Split(value, [',', ';', ' ', '\n', '/']);

    private static List<string> Split(string? value, char[] separators) =>
        value is null ? [] : [.. value.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The stored actors, indexed the ways an import row is matched.</summary>
    private sealed class ExistingActors
    {
        private readonly Dictionary<string, ActorEntity> _byId = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ActorEntity> _bySiret = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ActorEntity> _byEmail = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ActorEntity> _byNameAndCommune = new(StringComparer.Ordinal);

        public static async Task<ExistingActors> LoadAsync(ActorStore store, CancellationToken cancellationToken)
        {
            var index = new ExistingActors();
            await foreach (var actor in store.ScanAsync(null, cancellationToken).ConfigureAwait(false))
            {
                index._byId[actor.RowKey] = actor;
                if (actor.Siret is not null)
                {
                    index._bySiret.TryAdd(actor.Siret, actor);
                }

                foreach (var email in ActorEntity.SplitList(actor.Emails))
                {
                    if (EmailAddress.TryParse(email, out var address))
                    {
                        index._byEmail.TryAdd(address.Key, actor);
                    }
                }

                index._byNameAndCommune.TryAdd(actor.NameKey + "|" + (actor.CommuneInsee ?? ""), actor);
            }

            return index;
        }

        public ActorEntity? ById(string id) => _byId.GetValueOrDefault(id.Trim());

        public ActorEntity? BySiret(string siret) => _bySiret.GetValueOrDefault(siret);

        public ActorEntity? ByEmail(string email) => EmailAddress.TryParse(email, out var address) ? _byEmail.GetValueOrDefault(address.Key) : null;

        public ActorEntity? ByNameAndCommune(string key) => _byNameAndCommune.GetValueOrDefault(key);
    }
}
