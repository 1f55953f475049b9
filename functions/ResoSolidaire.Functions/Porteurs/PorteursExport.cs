using System.Runtime.CompilerServices;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Porteurs.FollowUp;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>Porteurs de projet with their case (phase, assignee, last note, next action) and consent; the case list's filters.</summary>
public sealed class PorteursExport(TableServiceClient tables, StorageNames names, VocabularyStore vocabularies, TimeProvider time) : IExportDataset
{
    public string Slug => "porteurs";

    public string FileStem => "porteurs-de-projet";

    public string Title => "Porteurs de projet";

    public string? DateRangeLabel => "Reçus";

    public async Task<IReadOnlyList<ExportFilter>> FiltersAsync(CancellationToken cancellationToken)
    {
        var sectors = await vocabularies.TermsAsync(VocabularyName.Sectors, cancellationToken).ConfigureAwait(false);
        return
        [
            new("phase", "Phase", [.. CasePhases.Terms.All.Select(t => new ExportChoice(t.Code, t.Label))]),
            new("sector", "Secteur", [.. sectors.Select(s => new ExportChoice(s.Code, s.Label))]),
            new("assignee", "Suivi par", Hint: "Le nom de la personne de l'équipe."),
            new("due", "Action prévue échue", [new("true", "Oui"), new("false", "Non")]),
        ];
    }

    public IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("reference", "Référence"),
        new("receivedAt", "Reçu le"),
        new("firstName", "Prénom"),
        new("lastName", "Nom"),
        new("email", "E-mail"),
        new("phone", "Téléphone"),
        new("commune", "Commune"),
        new("communeInsee", "Code INSEE"),
        new("postalCode", "Code postal"),
        new("epci", "EPCI"),
        new("inPaysDeRennes", "Pays de Rennes"),
        new("projectTitle", "Projet"),
        new("projectDescription", "Description du projet"),
        new("sector", "Secteur"),
        new("stage", "Stade"),
        new("legalStatus", "Statut envisagé"),
        new("needs", "Besoins"),
        new("heardFrom", "Connu par"),
        new("attachments", "Pièces jointes"),
        new("phase", "Phase"),
        new("assignee", "Suivi par"),
        new("lastNoteDate", "Dernière note le"),
        new("nextActionDate", "Prochaine action le"),
        new("nextActionLabel", "Prochaine action"),
        new("updatedAt", "Mis à jour le"),
        new("consentForm", "Consentement : formulaire"),
        new("consentTextVersion", "Consentement : version du texte"),
        new("consentAt", "Consentement : date"),
    ];

    public async Task<ExportPlan> PlanAsync(IQueryCollection query, DateRange range, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(errors);
        var phase = ExportPages.Value(query, "phase");
        if (phase is not null && !CasePhases.IsPhase(phase))
        {
            errors["phase"] = [$"Phase inconnue : « {phase} » (valeurs possibles : {string.Join(", ", CasePhases.Terms.All.Select(t => t.Code))})."];
        }

        var sector = ExportPages.Value(query, "sector");
        var sectors = (await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false)).Sectors;
        if (sector is not null && !sectors.Knows(sector))
        {
            errors["sector"] = [$"Secteur inconnu : « {sector} » (valeurs possibles : {sectors.Codes})."];
        }

        var commune = ExportPages.Value(query, "commune");
        if (commune is not null && CommuneDirectory.Instance.FindByInseeCode(commune) is null)
        {
            errors["commune"] = [$"Code INSEE de commune inconnu : « {commune} »."];
        }

        var due = false;
        if (ExportPages.Value(query, "due") is { } dueText)
        {
            due = YesNo.Parse(dueText) ?? false;
            if (YesNo.Parse(dueText) is null)
            {
                errors["due"] = ["Le filtre due vaut true ou false."];
            }
        }

        var assignee = ExportPages.Value(query, "assignee") is { } a ? TextKey.Of(a) : null;
        var prefix = PorteurForm.ReferencePrefix + "-";
        var end = PorteurForm.ReferencePrefix + ".";
        var filter = ExportPages.And(
        [
            TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionLedger.Partition} and RowKey ge {prefix} and RowKey lt {end}"),
            sector is null ? null : TableClient.CreateQueryFilter($"Sector eq {sector}"),
            commune is null ? null : TableClient.CreateQueryFilter($"CommuneInsee eq {commune}"),
            range.Start is { } s ? TableClient.CreateQueryFilter($"CreatedAt ge {s}") : null,
            range.End is { } e ? TableClient.CreateQueryFilter($"CreatedAt lt {e}") : null,
        ]);
        return new ExportPlan(ct => PagesAsync(filter, phase, assignee, due, ct));
    }

    private async IAsyncEnumerable<IReadOnlyList<object?[]>> PagesAsync(string? filter, string? phase, string? assignee, bool due, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Cases are in the hundreds: their states and last notes fit in memory, the intakes stream.
        var states = new Dictionary<string, CaseStateEntity>(StringComparer.Ordinal);
        var lastNotes = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        var cases = tables.GetTableClient(names.Table(CaseStore.TableName));
        try
        {
            await foreach (var state in cases.QueryAsync<CaseStateEntity>(TableClient.CreateQueryFilter($"RowKey eq {CaseStateEntity.StateRow}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                states[state.PartitionKey] = state;
            }

            var notes = cases.QueryAsync<CaseEventEntity>(TableClient.CreateQueryFilter($"Kind eq {CaseEventKinds.Note}"), select: ["PartitionKey", "RowKey", "Date", "At"], cancellationToken: cancellationToken);
            await foreach (var note in notes.ConfigureAwait(false))
            {
                var day = ExportTime.Day(note.Date) ?? LocalDates.DayOf(note.At);
                if (!lastNotes.TryGetValue(note.PartitionKey, out var last) || day > last)
                {
                    lastNotes[note.PartitionKey] = day;
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // No case followed up yet.
        }

        var today = LocalDates.ToText(LocalDates.Today(time));
        bool Keep(PorteurEntity intake)
        {
            var state = states.GetValueOrDefault(intake.Reference);
            var casePhase = state?.Phase ?? CasePhases.Accueil;
            return (phase is null || casePhase == phase)
                && (assignee is null || TextKey.Of(state?.Assignee) == assignee)
                && (!due || (CasePhases.IsOpen(casePhase) && state?.NextActionDate is { } next && string.CompareOrdinal(next, today) <= 0));
        }

        var intakes = tables.GetTableClient(names.Table(PorteurForm.TableName));
        await foreach (var page in ExportPages.ReadAsync<PorteurEntity>(intakes, filter, Keep, p => Row(p, states.GetValueOrDefault(p.Reference), lastNotes), cancellationToken).ConfigureAwait(false))
        {
            yield return page;
        }
    }

    private static object?[] Row(PorteurEntity p, CaseStateEntity? state, Dictionary<string, DateOnly> lastNotes) =>
    [
        p.Reference,
        p.CreatedAt,
        p.FirstName,
        p.LastName,
        p.Email,
        p.Phone,
        p.CommuneName,
        p.CommuneInsee,
        p.PostalCode,
        p.EpciCode is null ? null : CommuneDirectory.PaysDeRennesEpcis.GetValueOrDefault(p.EpciCode, p.EpciCode),
        p.InPaysDeRennes,
        p.ProjectTitle,
        p.ProjectDescription,
        p.SectorLabel ?? Directory.Sectors.Terms.Label(p.Sector),
        PorteurForm.Stages.GetValueOrDefault(p.Stage, p.Stage),
        PorteurForm.LegalStatuses.GetValueOrDefault(p.LegalStatus, p.LegalStatus),
        string.Join(", ", p.Needs.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => PorteurForm.Needs.GetValueOrDefault(n, n))),
        p.HeardFrom,
        p.AttachmentCount,
        CasePhases.Label(state?.Phase ?? CasePhases.Accueil),
        state?.Assignee,
        lastNotes.TryGetValue(p.Reference, out var note) ? note : null,
        ExportTime.Day(state?.NextActionDate),
        state?.NextActionLabel,
        state?.UpdatedAt,
        p.ConsentForm,
        p.ConsentTextVersion,
        p.ConsentAt,
    ];
}
