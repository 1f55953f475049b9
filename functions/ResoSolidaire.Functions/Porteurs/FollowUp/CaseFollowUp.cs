using Azure.Storage.Blobs.Models;
using ResoSolidaire.Functions.Directory;

namespace ResoSolidaire.Functions.Porteurs.FollowUp;

/// <summary>The filters of the case list; they combine.</summary>
public sealed record CaseFilter(string? Phase, string? Assignee, string? Sector, string? Commune, DateOnly? From, DateOnly? To, bool Due);

/// <summary>An attachment opened for download.</summary>
public sealed record OpenedAttachment(Stream Content, string ContentType, string FileName);

/// <summary>The follow-up of porteurs de projet: lists, details with timeline, and the changes staff make.</summary>
public sealed class CaseFollowUp(CaseStore store, ActorStore actors, AttachmentStore attachments, TimeProvider time, ILogger<CaseFollowUp> logger)
{
    public async Task<ListPage<CaseSummaryDto>> ListAsync(CaseFilter filter, int pageSize, ContinuationToken? continuation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var today = LocalDates.ToText(LocalDates.Today(time));
        var assignee = filter.Assignee is null ? null : TextKey.Of(filter.Assignee);
        var all = await store.AllAsync(cancellationToken).ConfigureAwait(false);
        var matching = all.Where(c =>
        {
            var phase = c.State?.Phase ?? CasePhases.Accueil;
            var received = LocalDates.DayOf(c.Intake.CreatedAt);
            return (filter.Phase is null || phase == filter.Phase)
                && (assignee is null || TextKey.Of(c.State?.Assignee) == assignee)
                && (filter.Sector is null || c.Intake.Sector == filter.Sector)
                && (filter.Commune is null || c.Intake.CommuneInsee == filter.Commune)
                && (filter.From is null || received >= filter.From)
                && (filter.To is null || received <= filter.To)
                && (!filter.Due || (CasePhases.IsOpen(phase) && c.State?.NextActionDate is { } next && string.CompareOrdinal(next, today) <= 0));
        });

        // Due cases come soonest first; other lists newest first.
        Func<CaseSnapshot, string> key = filter.Due
            ? c => $"{InvertDate(c.State!.NextActionDate!)}|{c.Intake.Reference}"
            : c => $"{c.Intake.CreatedAt.UtcTicks:D19}|{c.Intake.Reference}";
        var page = MemoryPaging.Page(matching, key, pageSize, continuation);
        return new ListPage<CaseSummaryDto>(page.Items.Select(Summary).ToList(), page.Continuation);
    }

    public async Task<CaseDetailDto?> DetailAsync(string reference, CancellationToken cancellationToken)
    {
        var intake = await store.IntakeAsync(reference, cancellationToken).ConfigureAwait(false);
        if (intake is null)
        {
            return null;
        }

        var state = await store.StateAsync(reference, cancellationToken).ConfigureAwait(false);
        var timeline = await store.TimelineAsync(reference, cancellationToken).ConfigureAwait(false);
        var phase = state?.Phase ?? CasePhases.Accueil;
        var entries = new List<TimelineEntryDto>
        {
            intake.OpenedBy is null
                ? new(intake.CreatedAt, "formulaire", "demande", $"Demande reçue par le formulaire du site (référence {intake.Reference}).", null, CasePhases.Accueil, null, null, null, null, null)
                : new(intake.CreatedAt, intake.OpenedBy, "demande", $"Dossier ouvert par l'équipe{(intake.OpenedFrom is null ? "" : $" à partir du message {intake.OpenedFrom}")} (référence {intake.Reference}).", null, CasePhases.Accueil, null, null, null, null, null, intake.OpenedByObjectId),
        };
        entries.AddRange(timeline.OrderBy(e => e.RowKey, StringComparer.Ordinal).Select(e =>
            new TimelineEntryDto(e.At, e.By, e.Kind, e.Summary, e.PhaseFrom, e.PhaseTo, e.Assignee, e.Date, e.Text, e.ActorId, e.ActorName, e.ByObjectId)));
        var orientations = timeline
            .Where(e => e.Kind == CaseEventKinds.Orientation)
            .OrderBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(e => new CaseOrientationDto(e.ActorId!, e.ActorName ?? "", e.Text, e.At, e.By))
            .ToList();
        var files = intake.AttachmentRecords()
            .Select((a, i) => new CaseAttachmentDto(i + 1, a.Name, a.ContentType, a.Size, $"/api/staff/porteurs/cases/{intake.Reference}/attachments/{i + 1}"))
            .ToList();
        return new CaseDetailDto(
            Summary(new CaseSnapshot(intake, state)),
            intake.FirstName,
            intake.LastName,
            intake.Email,
            intake.Phone,
            intake.PostalCode,
            intake.ProjectDescription,
            intake.Stage,
            intake.LegalStatus,
            intake.Needs.Split(',', StringSplitOptions.RemoveEmptyEntries),
            intake.HeardFrom,
            files,
            CasePhases.AllowedFrom(phase),
            orientations,
            entries);
    }

    public Task<(CaseStateEntity? State, CaseRefusal? Refusal)> ChangePhaseAsync(string reference, string phase, string? comment, StaffMember by, CancellationToken cancellationToken) =>
        ApplyAsync(reference, by, state =>
        {
            var allowed = CasePhases.AllowedFrom(state.Phase);
            if (!allowed.Contains(phase))
            {
                var list = string.Join(", ", allowed.Select(p => $"« {CasePhases.Label(p)} » ({p})"));
                return CaseChange.Refused(new CaseRefusal(
                    state.Phase == phase
                        ? $"Le dossier est déjà en phase « {CasePhases.Label(phase)} »."
                        : $"Un dossier en phase « {CasePhases.Label(state.Phase)} » ne peut pas passer en phase « {CasePhases.Label(phase)} ».",
                    $"Depuis la phase « {CasePhases.Label(state.Phase)} », les phases possibles sont : {list}.",
                    allowed));
            }

            var entry = new CaseEventEntity
            {
                Kind = CaseEventKinds.Phase,
                PhaseFrom = state.Phase,
                PhaseTo = phase,
                Text = comment,
                Summary = $"Phase « {CasePhases.Label(state.Phase)} » → « {CasePhases.Label(phase)} ».",
            };
            state.Phase = phase;
            return CaseChange.Made(entry);
        }, cancellationToken);

    public Task<(CaseStateEntity? State, CaseRefusal? Refusal)> AssignAsync(string reference, string? assignee, StaffMember by, CancellationToken cancellationToken) =>
        ApplyAsync(reference, by, state =>
        {
            state.Assignee = assignee;
            return CaseChange.Made(new CaseEventEntity
            {
                Kind = CaseEventKinds.Assignment,
                Assignee = assignee,
                Summary = assignee is null ? "Dossier désassigné." : $"Dossier confié à {assignee}.",
            });
        }, cancellationToken);

    public Task<(CaseStateEntity? State, CaseRefusal? Refusal)> AddNoteAsync(string reference, string text, DateOnly date, StaffMember by, CancellationToken cancellationToken) =>
        ApplyAsync(reference, by, _ => CaseChange.Made(new CaseEventEntity
        {
            Kind = CaseEventKinds.Note,
            Date = LocalDates.ToText(date),
            Text = text,
            Summary = $"Note du {date.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)}.",
        }), cancellationToken);

    public Task<(CaseStateEntity? State, CaseRefusal? Refusal)> OrientAsync(string reference, ActorEntity partner, string? comment, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return ApplyAsync(reference, by, _ => CaseChange.Made(new CaseEventEntity
        {
            Kind = CaseEventKinds.Orientation,
            ActorId = partner.RowKey,
            ActorName = partner.Name,
            Text = comment,
            Summary = $"Orienté vers {partner.Name}.",
        }), cancellationToken);
    }

    public Task<(CaseStateEntity? State, CaseRefusal? Refusal)> SetNextActionAsync(string reference, DateOnly? date, string? label, StaffMember by, CancellationToken cancellationToken) =>
        ApplyAsync(reference, by, state =>
        {
            state.NextActionDate = date is { } d ? LocalDates.ToText(d) : null;
            state.NextActionLabel = date is null ? null : label;
            return CaseChange.Made(new CaseEventEntity
            {
                Kind = CaseEventKinds.NextAction,
                Date = state.NextActionDate,
                Text = state.NextActionLabel,
                Summary = date is { } day
                    ? $"Prochaine action le {day.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)}" + (label is null ? "." : $" : {label}.")
                    : "Prochaine action retirée.",
            });
        }, cancellationToken);

    public Task<ActorEntity?> FindPartnerAsync(string actorId, CancellationToken cancellationToken) => actors.GetAsync(actorId, cancellationToken);

    /// <summary>
    /// The structures of the directory whose name holds <paramref name="text"/> (case, accents and punctuation
    /// ignored), to orient a case to: private persons are left out. At most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<ActorEntity>> SearchPartnersAsync(string text, int limit, CancellationToken cancellationToken)
    {
        var found = new List<ActorEntity>();
        ContinuationToken? continuation = null;
        for (var page = 0; page < 20 && found.Count < limit; page++)
        {
            var read = await actors.SearchByNameAsync(text, 100, continuation, cancellationToken).ConfigureAwait(false);
            found.AddRange(read.Items.Where(a => !ActorKinds.Persons.Contains(a.Kind)));
            if (read.Continuation is null)
            {
                break;
            }

            continuation = ContinuationToken.Decode(read.Continuation);
        }

        return found.Take(limit).ToList();
    }

    /// <summary>Opens an attachment of a case (1-based number); null when there is no such case or attachment.</summary>
    public async Task<OpenedAttachment?> OpenAttachmentAsync(string reference, int number, CancellationToken cancellationToken)
    {
        var intake = await store.IntakeAsync(reference, cancellationToken).ConfigureAwait(false);
        var records = intake?.AttachmentRecords() ?? [];
        if (number < 1 || number > records.Count)
        {
            return null;
        }

        var record = records[number - 1];
        var container = await attachments.ContainerAsync(cancellationToken).ConfigureAwait(false);
        BlobDownloadStreamingResult download = await container.GetBlobClient(record.Blob).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Attachment {Number} of case {Reference} downloaded", number, reference);
        return new OpenedAttachment(download.Content, record.ContentType, record.Name);
    }

    private async Task<(CaseStateEntity? State, CaseRefusal? Refusal)> ApplyAsync(string reference, StaffMember by, Func<CaseStateEntity, CaseChange> decide, CancellationToken cancellationToken)
    {
        var result = await store.ApplyAsync(reference, by, decide, cancellationToken).ConfigureAwait(false);
        if (result.State is not null)
        {
            logger.LogInformation("Case {Reference} changed", reference);
        }

        return result;
    }

    private static CaseSummaryDto Summary(CaseSnapshot snapshot)
    {
        var intake = snapshot.Intake;
        var state = snapshot.State;
        var phase = state?.Phase ?? CasePhases.Accueil;
        return new CaseSummaryDto(
            intake.Reference,
            intake.CreatedAt,
            $"{intake.FirstName} {intake.LastName}".Trim(),
            intake.ProjectTitle,
            intake.Sector,
            intake.SectorLabel ?? Directory.Sectors.Terms.Label(intake.Sector),
            intake.CommuneInsee,
            intake.CommuneName,
            intake.EpciCode,
            intake.InPaysDeRennes,
            phase,
            CasePhases.Label(phase),
            state?.Assignee,
            state?.NextActionDate,
            state?.NextActionLabel,
            state?.UpdatedAt,
            state?.UpdatedBy);
    }

    /// <summary>Turns yyyy-MM-dd into a key that sorts the other way, so the newest-first pager yields soonest first.</summary>
    private static string InvertDate(string date) => new(date.Select(c => char.IsAsciiDigit(c) ? (char)('9' - (c - '0')) : c).ToArray());
}
