using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>An intake that passed its checks, its attachments recognised by content, and the keyed hash of both.</summary>
public sealed record PorteurSubmission(PorteurIntake Intake, IReadOnlyList<Attachment> Attachments, string Fingerprint);

/// <summary>
/// The intake form for porteurs de projet, as <see cref="FormPipeline"/> runs it (gate, honeypot,
/// attachments recognised by content, field checks, commune against the official data, duplicate, the
/// accepted budget); then attachments and the submission stored first and mails queued through the outbox.
/// The sectors offered are the directory's, read once per submission (<see cref="PorteurIntakeForm"/>).
/// </summary>
public sealed class PorteurService(
    FormPipeline pipeline,
    SubmissionLedger ledger,
    ReferenceCounter references,
    AttachmentStore attachmentStore,
    CommuneDirectory communes,
    VocabularyStore vocabularies,
    PorteurMails mails,
    MailOutbox outbox,
    EmailHasher emailHasher,
    IOptions<FormsOptions> options,
    TimeProvider time,
    ILogger<PorteurService> logger) : IFormMailSweeper
{
    public string Form => PorteurForm.Name;

    public static string ReceivedMessage(string reference, bool inPaysDeRennes) =>
        $"Merci ! Votre projet a bien été enregistré sous la référence {reference}. Vous allez recevoir un accusé de réception par e-mail."
        + (inPaysDeRennes ? "" : " " + PorteurMails.OutsideTerritoryNotice);

    /// <summary>Receives a post of the intake form through the pipeline (what the function answers).</summary>
    public async Task<FormResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await pipeline.RunAsync(request, await FormAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The form as the pipeline runs it for one submission, with the directory's sectors as they stand.</summary>
    public async Task<IPublicForm<PorteurRequest, PorteurSubmission>> FormAsync(CancellationToken cancellationToken)
    {
        var sectors = await vocabularies.TermsAsync(VocabularyName.Sectors, cancellationToken).ConfigureAwait(false);
        return new PorteurIntakeForm(this, sectors.ToDictionary(t => t.Code, t => t.Label, StringComparer.Ordinal));
    }

    public FormResult Decoy()
    {
        var decoy = Honeypot.DecoyReference(PorteurForm.ReferencePrefix, time);
        return FormResult.Accepted(new SubmissionReceipt(decoy, ReceivedMessage(decoy, inPaysDeRennes: true)));
    }

    public FormCheck<PorteurSubmission> Check(PorteurRequest posted, FormBody body, IReadOnlyDictionary<string, string> sectors, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        var (attachments, unsupported) = Attachment.Check(body.Files);
        if (unsupported is not null)
        {
            return new(null, unsupported);
        }

        var intake = PorteurIntake.Validate(posted, communes, sectors, errors);
        if (body.FilesOverLimit > 0)
        {
            errors.Add(PorteurForm.AttachmentsField, $"Vous pouvez joindre {options.Value.MaxFiles} fichiers au plus ({attachments.Count + body.FilesOverLimit} envoyés).");
        }

        return new(intake is null ? null : new PorteurSubmission(intake, attachments, ledger.Fingerprint(PorteurForm.Name, intake.FingerprintParts(attachments.Select(a => a.Sha256)))));
    }

    public async Task<FormResult?> FindDuplicateAsync(PorteurSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var earlier = await ledger.FindDuplicateAsync(PorteurForm.TableName, submission.Fingerprint, cancellationToken).ConfigureAwait(false);
        return earlier is null ? null : FormResult.Accepted(new SubmissionReceipt(earlier, ReceivedMessage(earlier, submission.Intake.Commune.InPaysDeRennes)));
    }

    public async Task<FormResult> StoreAsync(PorteurSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var (intake, attachments, fingerprint) = submission;
        var reference = await references.NextAsync(PorteurForm.ReferencePrefix, cancellationToken).ConfigureAwait(false);
        var records = await attachmentStore.UploadAsync(reference, attachments, cancellationToken).ConfigureAwait(false);
        var entity = PorteurEntity.From(intake, emailHasher.Hash(EmailAddress.Parse(intake.Email)), reference, records, time.GetUtcNow(), options.Value.ConsentTextVersion);
        StoreResult stored;
        try
        {
            stored = await ledger.StoreAsync(PorteurForm.TableName, entity, fingerprint, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (records.Count > 0)
        {
            // The files are kept only with their intake: without a row nobody would ever see or purge them.
            // If storage is down altogether this fails too, and the sweep removes them later.
            await TryDeleteAsync(records).ConfigureAwait(false);
            throw;
        }

        if (stored.Duplicate)
        {
            await attachmentStore.DeleteAsync(records, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Form {Form}: concurrent duplicate of {Reference} answered with its reference", PorteurForm.Name, stored.Reference);
            return FormResult.Accepted(new SubmissionReceipt(stored.Reference, ReceivedMessage(stored.Reference, intake.Commune.InPaysDeRennes)));
        }

        logger.LogInformation(
            "Form {Form}: {Reference} stored with {AttachmentCount} attachment(s), in territory {InPaysDeRennes}",
            PorteurForm.Name, reference, records.Count, entity.InPaysDeRennes);
        try
        {
            await QueueMailsAsync(entity, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Form {Form}: mails of {Reference} left to the sweep", PorteurForm.Name, reference);
        }

        return FormResult.Accepted(new SubmissionReceipt(reference, ReceivedMessage(reference, entity.InPaysDeRennes)));
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var waiting = await ledger.UnmailedAsync<PorteurEntity>(PorteurForm.TableName, FormMailSweepFunction.Grace, cancellationToken).ConfigureAwait(false);
        foreach (var entity in waiting)
        {
            await QueueMailsAsync(entity, cancellationToken).ConfigureAwait(false);
        }

        var orphans = await attachmentStore.DeleteOrphansAsync(
            time.GetUtcNow() - FormMailSweepFunction.Grace,
            async (reference, token) => await ledger.GetAsync<PorteurEntity>(PorteurForm.TableName, reference, token).ConfigureAwait(false) is not null,
            cancellationToken).ConfigureAwait(false);
        if (orphans > 0)
        {
            logger.LogWarning("Form {Form}: {Count} attachment(s) of intakes never stored were deleted", PorteurForm.Name, orphans);
        }

        return waiting.Count;
    }

    private async Task TryDeleteAsync(IReadOnlyList<AttachmentRecord> records)
    {
        try
        {
            await attachmentStore.DeleteAsync(records, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException)
        {
            logger.LogWarning(ex, "Form {Form}: attachments of an intake not stored are left to the sweep", PorteurForm.Name);
        }
    }

    private async Task QueueMailsAsync(PorteurEntity entity, CancellationToken cancellationToken)
    {
        // The two mails are independent: each is kept in the outbox before it is sent.
        await Task.WhenAll(
            outbox.SendAsync(PorteurMails.Acknowledgement(entity), PorteurMails.AcknowledgementKey(entity.Reference), cancellationToken),
            outbox.SendAsync(mails.StaffNotification(entity), PorteurMails.StaffKey(entity.Reference), cancellationToken)).ConfigureAwait(false);
        await ledger.MarkMailsQueuedAsync(PorteurForm.TableName, entity.Reference, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The intake form as the pipeline runs it for one submission: the service, with the sectors active when it arrived.</summary>
internal sealed class PorteurIntakeForm(PorteurService service, IReadOnlyDictionary<string, string> sectors) : IPublicForm<PorteurRequest, PorteurSubmission>
{
    public string Name => PorteurForm.Name;

    public bool TakesFiles => true;

    public IReadOnlyDictionary<string, string> Labels => PorteurForm.Labels;

    public PorteurRequest FromFields(FormBody body) => PorteurForm.FromForm(body);

    public string? HoneypotOf(PorteurRequest posted) => posted?.Website;

    public FormResult Decoy() => service.Decoy();

    public FormCheck<PorteurSubmission> Check(PorteurRequest posted, FormBody body, FieldErrors errors) => service.Check(posted, body, sectors, errors);

    public Task<FormResult?> FindDuplicateAsync(PorteurSubmission submission, CancellationToken cancellationToken) => service.FindDuplicateAsync(submission, cancellationToken);

    public Task<FormResult> StoreAsync(PorteurSubmission submission, CancellationToken cancellationToken) => service.StoreAsync(submission, cancellationToken);
}
