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

/// <summary>
/// Imports a staff spreadsheet into the directory. Everything is read and checked first (decoding,
/// quoting, every row against the rules and against the existing actors), and only then written, in batch
/// transactions of up to 100 actors of one partition. A row is matched to an existing actor by its
/// identifier column if any, then SIRET, then e-mail, then name + commune, so running the same file twice
/// changes nothing the second time. Storage can still fail between two batches: the report then says how
/// many rows were written, and re-running the same file finishes the job (written rows come out
/// "unchanged", the others are written), since every row is matched again against what is stored.
/// </summary>
public sealed class ActorImporter(ActorStore store, EmailHasher emailHasher, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<ActorImporter> logger)
{
    public const int BatchSize = 100;

    public async Task<ImportResult> ImportAsync(ReadOnlyMemory<byte> file, bool dryRun, bool skipRejected, string principal, CancellationToken cancellationToken)
    {
        var decoded = SpreadsheetDecoder.Decode(file.Span);
        if (decoded.Refusal is not null)
        {
            return new ImportResult(ImportStatus.FileRefused, null, decoded.Refusal);
        }

        var sheet = StaffSpreadsheet.Parse(decoded.Text!, options.Value.ImportMaxRows);
        if (sheet.Refusal is not null)
        {
            return new ImportResult(ImportStatus.FileRefused, null, sheet.Refusal);
        }

        var existing = await ExistingActors.LoadAsync(store, cancellationToken).ConfigureAwait(false);
        var plan = Plan(sheet, existing, time.GetUtcNow(), principal);
        var rows = plan.Select(p => p.Report).ToList();
        var summary = new ImportSummary(
            rows.Count,
            rows.Count(r => r.Outcome == RowOutcome.Created),
            rows.Count(r => r.Outcome == RowOutcome.Updated),
            rows.Count(r => r.Outcome == RowOutcome.Unchanged),
            rows.Count(r => r.Outcome == RowOutcome.Rejected));
        var separator = sheet.Separator switch { '\t' => "tabulation", var c => c.ToString() };
        var columns = sheet.Columns.Order().Select(SpreadsheetColumns.Label).ToList();
        ImportReport Report(bool written) => new(dryRun, written, decoded.Encoding, separator, columns, sheet.IgnoredHeaders, summary, rows);

        if (dryRun)
        {
            logger.LogInformation(
                "Import dry run of {Rows} rows: {Created} to create, {Updated} to update, {Unchanged} unchanged, {Rejected} rejected",
                summary.Rows, summary.Created, summary.Updated, summary.Unchanged, summary.Rejected);
            return new ImportResult(ImportStatus.Completed, Report(false));
        }

        if (summary.Rejected > 0 && !skipRejected)
        {
            return new ImportResult(ImportStatus.RowsRejected, Report(false));
        }

        var writes = plan.Where(p => p.Entity is not null).ToList();
        var written = await WriteAsync(writes).ConfigureAwait(false);
        logger.LogInformation(
            "Import of {Rows} rows: {Created} created, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected, {Written} of {ToWrite} written",
            summary.Rows, summary.Created, summary.Updated, summary.Unchanged, summary.Rejected, written, writes.Count);
        return written == writes.Count
            ? new ImportResult(ImportStatus.Completed, Report(true), Written: written, ToWrite: writes.Count)
            : new ImportResult(ImportStatus.Interrupted, Report(false), Written: written, ToWrite: writes.Count);
    }

    /// <summary>Writes the planned actors, partition by partition in batches; returns how many landed.</summary>
    private async Task<int> WriteAsync(IReadOnlyList<PlannedRow> writes)
    {
        var table = await store.TableAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var write in writes)
        {
            write.Entity!.HashEmails(emailHasher);
        }

        var batches = writes
            .GroupBy(w => w.Entity!.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(BatchSize))
            .ToList();
        var written = 0;
        try
        {
            // Once writing has started it goes on even if the caller disconnects: stopping halfway helps nobody.
            await Parallel.ForEachAsync(
                batches,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.ImportParallelism },
                async (batch, ct) =>
                {
                    var actions = batch.Select(w => w.IsCreate
                        ? new TableTransactionAction(TableTransactionActionType.Add, w.Entity!)
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, w.Entity!, w.Entity!.ETag)).ToList();
                    await table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                    Interlocked.Add(ref written, batch.Length);
                }).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            logger.LogError(ex, "Import interrupted by storage (status {Status}) after {Written} of {ToWrite} rows", ex.Status, written, writes.Count);
        }

        return written;
    }

    private sealed record PlannedRow(ImportRowReport Report, ActorEntity? Entity, bool IsCreate);

    private static List<PlannedRow> Plan(ParsedSpreadsheet sheet, ExistingActors existing, DateTimeOffset now, string principal)
    {
        var planned = new List<PlannedRow>(sheet.Rows.Count);
        var claimed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in sheet.Rows)
        {
            planned.Add(PlanRow(row, sheet.Columns, existing, claimed, now, principal));
        }

        return planned;
    }

    private static PlannedRow PlanRow(SpreadsheetRow row, IReadOnlySet<Column> columns, ExistingActors existing, Dictionary<string, int> claimed, DateTimeOffset now, string principal)
    {
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

        var input = Overlay(match is null ? Empty : ActorMapping.ToInput(match), row, columns, communeInsee, newsletter, match);
        input = OverlayConsent(input, row, columns, consentDate, newsletter, match);

        // Old sheets say "oui" for everyone: a person without a recorded consent is imported opted out, and told so.
        List<string>? notices = null;
        if (ActorRules.LacksConsentForNewsletter(input))
        {
            input = input with { Newsletter = false };
            notices = ["Newsletter : non, faute de consentement enregistré pour cette personne (colonnes « Consentement le », « Source du consentement », « Version du texte de consentement »)."];
        }

        var (fields, errors) = ActorRules.Validate(input, LocalDates.DayOf(now));
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
            var created = new ActorEntity
            {
                PartitionKey = ActorEntity.PartitionOf(newId),
                RowKey = newId,
                CreatedAt = now,
                CreatedBy = principal,
                UpdatedAt = now,
                UpdatedBy = principal,
            };
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

        updated.UpdatedAt = now;
        updated.UpdatedBy = principal;
        return new PlannedRow(new ImportRowReport(row.Line, RowOutcome.Updated, fields.Name, match.RowKey, null, changes, notices), updated, false);
    }

    private static readonly ActorInput Empty = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>The columns present in the file replace the stored values (an empty cell clears), the others are kept.</summary>
    private static ActorInput Overlay(ActorInput stored, SpreadsheetRow row, IReadOnlySet<Column> columns, string? communeInsee, bool? newsletter, ActorEntity? match)
    {
        var input = stored with { Name = row[Column.Name] };
        if (row[Column.Kind] is { } kind)
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
            input = input with { Sectors = SplitSectors(row[Column.Sectors]) };
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
        var communes = CommuneDirectory.Instance;
        if (row[Column.InseeCode] is { } code)
        {
            if (communes.FindByInseeCode(code) is { } byCode)
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

        var postalCode = row[Column.PostalCode];
        var lookup = communes.Resolve(text, postalCode);
        if (lookup.Match == CommuneMatch.Found)
        {
            return lookup.Commune!.InseeCode;
        }

        // Staff often write the name alone: it is enough when one commune of the Pays de Rennes bears it.
        var key = CommuneDirectory.NameKey(text);
        var local = communes.All.Where(c => c.InPaysDeRennes && CommuneDirectory.NameKey(c.Name) == key).ToList();
        if (local.Count == 1 && (postalCode is null || local[0].PostalCodes.Contains(postalCode.Replace(" ", "", StringComparison.Ordinal))))
        {
            return local[0].InseeCode;
        }

        problems.Add(postalCode is null
            ? $"Commune introuvable : « {text} ». Indiquez son code postal ou son code INSEE."
            : $"Commune introuvable : « {text} » au code postal {postalCode}.");
        return null;
    }

    /// <summary>Sectors are split on ; | / + and line breaks; on commas too, unless the piece is a whole label ("Culture, loisirs").</summary>
    private static List<string> SplitSectors(string? value) =>
        Split(value, [';', '|', '/', '+', '\n'])
            .SelectMany(piece => Sectors.Terms.Find(piece) is not null ? [piece] : Split(piece, [',']))
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
