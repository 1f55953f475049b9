using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>
/// Receives a porteur de projet's intake: gate (type, rate, size), honeypot, attachments recognised by
/// content, field checks, commune against the official data, duplicate, the accepted budget; then
/// attachments and the submission stored first and mails queued through the outbox.
/// </summary>
public sealed class PorteurService(
    FormGate gate,
    SubmissionLedger ledger,
    ReferenceCounter references,
    AttachmentStore attachmentStore,
    CommuneDirectory communes,
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

    public async Task<FormResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var passed = await gate.PassAsync(request, PorteurForm.Name, allowFiles: true, cancellationToken).ConfigureAwait(false);
        if (passed.Rejection is not null)
        {
            return passed.Reject();
        }

        var body = passed.Body!;
        var result = await AcceptAsync(passed, body, cancellationToken).ConfigureAwait(false);
        return result with { Kind = body.Kind, Redirect = body.Field(FormResponder.RedirectField) };
    }

    private async Task<FormResult> AcceptAsync(GateResult passed, FormBody body, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var posted = body.Kind == BodyKind.Json ? FormBodyReader.BindJson<PorteurRequest>(body.Json, errors) : PorteurForm.FromForm(body);
        if (posted is null)
        {
            return FormResult.Rejected(FormRejection.Invalid(errors));
        }

        if (Honeypot.IsTripped(posted.Website))
        {
            logger.LogWarning("Form {Form}: honeypot filled, submission dropped", PorteurForm.Name);
            var decoy = Honeypot.DecoyReference(PorteurForm.ReferencePrefix, time);
            return FormResult.Accepted(new SubmissionReceipt(decoy, ReceivedMessage(decoy, inPaysDeRennes: true)));
        }

        var (attachments, unsupported) = Attachment.Check(body.Files);
        if (unsupported is not null)
        {
            logger.LogWarning("Form {Form}: an attachment of an unaccepted type was refused", PorteurForm.Name);
            return FormResult.Rejected(unsupported);
        }

        var intake = PorteurIntake.Validate(posted, communes, errors);
        if (body.FilesOverLimit > 0)
        {
            errors.Add(PorteurForm.AttachmentsField, $"Vous pouvez joindre {options.Value.MaxFiles} fichiers au plus ({attachments.Count + body.FilesOverLimit} envoyés).");
        }

        if (intake is null || errors.Any)
        {
            return FormResult.Rejected(FormRejection.Invalid(errors));
        }

        var fingerprint = ledger.Fingerprint(PorteurForm.Name, intake.FingerprintParts(attachments.Select(a => a.Sha256)));
        if (await ledger.FindDuplicateAsync(PorteurForm.TableName, fingerprint, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            logger.LogInformation("Form {Form}: duplicate of {Reference} answered with its reference", PorteurForm.Name, earlier);
            return FormResult.Accepted(new SubmissionReceipt(earlier, ReceivedMessage(earlier, intake.Commune.InPaysDeRennes)));
        }

        // Only now does the post count against the client's accepted submissions (a duplicate does not).
        if (await gate.AcceptAsync(passed, PorteurForm.Name, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            return FormResult.Rejected(limited);
        }

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
