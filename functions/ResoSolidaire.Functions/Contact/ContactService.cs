using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Mail;

namespace ResoSolidaire.Functions.Contact;

/// <summary>
/// Receives a contact message: gate (type, rate, size), honeypot, checks, duplicate, the accepted budget,
/// then stored first and mailed through the outbox, so that an accepted message is never lost.
/// </summary>
public sealed class ContactService(
    FormGate gate,
    SubmissionLedger ledger,
    ReferenceCounter references,
    ContactMails mails,
    MailOutbox outbox,
    EmailHasher emailHasher,
    IOptions<FormsOptions> options,
    TimeProvider time,
    ILogger<ContactService> logger) : IFormMailSweeper
{
    public const string ReceivedMessage = "Merci ! Votre message a bien été envoyé. Vous allez recevoir un accusé de réception par e-mail.";

    public string Form => ContactForm.Name;

    public async Task<FormResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var passed = await gate.PassAsync(request, ContactForm.Name, allowFiles: false, cancellationToken).ConfigureAwait(false);
        if (passed.Rejection is not null)
        {
            return passed.Reject();
        }

        var body = passed.Body!;
        var errors = new FieldErrors();
        var posted = body.Kind == BodyKind.Json ? FormBodyReader.BindJson<ContactRequest>(body.Json, errors) : ContactForm.FromForm(body);
        var result = await AcceptAsync(passed, posted, errors, cancellationToken).ConfigureAwait(false);
        return result with { Kind = body.Kind, Redirect = body.Field(FormResponder.RedirectField) };
    }

    private async Task<FormResult> AcceptAsync(GateResult passed, ContactRequest? posted, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (posted is null)
        {
            return FormResult.Rejected(FormRejection.Invalid(errors));
        }

        if (Honeypot.IsTripped(posted.Website))
        {
            logger.LogWarning("Form {Form}: honeypot filled, submission dropped", ContactForm.Name);
            return FormResult.Accepted(new SubmissionReceipt(Honeypot.DecoyReference(ContactForm.ReferencePrefix, time), ReceivedMessage));
        }

        var message = ContactMessage.Validate(posted, errors);
        if (message is null)
        {
            return FormResult.Rejected(FormRejection.Invalid(errors));
        }

        var fingerprint = ledger.Fingerprint(ContactForm.Name, message.FingerprintParts());
        if (await ledger.FindDuplicateAsync(ContactForm.TableName, fingerprint, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            logger.LogInformation("Form {Form}: duplicate of {Reference} answered with its reference", ContactForm.Name, earlier);
            return FormResult.Accepted(new SubmissionReceipt(earlier, ReceivedMessage));
        }

        // Only now does the post count against the client's accepted submissions (a duplicate does not).
        if (await gate.AcceptAsync(passed, ContactForm.Name, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            return FormResult.Rejected(limited);
        }

        var reference = await references.NextAsync(ContactForm.ReferencePrefix, cancellationToken).ConfigureAwait(false);
        var entity = ContactMessageEntity.From(message, emailHasher.Hash(EmailAddress.Parse(message.Email)), reference, time.GetUtcNow(), options.Value.ConsentTextVersion);
        var stored = await ledger.StoreAsync(ContactForm.TableName, entity, fingerprint, cancellationToken).ConfigureAwait(false);
        if (stored.Duplicate)
        {
            logger.LogInformation("Form {Form}: concurrent duplicate of {Reference} answered with its reference", ContactForm.Name, stored.Reference);
            return FormResult.Accepted(new SubmissionReceipt(stored.Reference, ReceivedMessage));
        }

        logger.LogInformation("Form {Form}: {Reference} stored (topic {Topic})", ContactForm.Name, reference, message.Topic);

        // Stored: from here on the message is accepted whatever happens to the mails (the sweep catches up).
        try
        {
            await QueueMailsAsync(entity, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Form {Form}: mails of {Reference} left to the sweep", ContactForm.Name, reference);
        }

        return FormResult.Accepted(new SubmissionReceipt(reference, ReceivedMessage));
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var waiting = await ledger.UnmailedAsync<ContactMessageEntity>(ContactForm.TableName, FormMailSweepFunction.Grace, cancellationToken).ConfigureAwait(false);
        foreach (var entity in waiting)
        {
            await QueueMailsAsync(entity, cancellationToken).ConfigureAwait(false);
        }

        return waiting.Count;
    }

    private async Task QueueMailsAsync(ContactMessageEntity entity, CancellationToken cancellationToken)
    {
        // The two mails are independent: each is kept in the outbox before it is sent.
        await Task.WhenAll(
            outbox.SendAsync(ContactMails.Acknowledgement(entity), ContactMails.AcknowledgementKey(entity.Reference), cancellationToken),
            outbox.SendAsync(mails.StaffNotification(entity), ContactMails.StaffKey(entity.Reference), cancellationToken)).ConfigureAwait(false);
        await ledger.MarkMailsQueuedAsync(ContactForm.TableName, entity.Reference, cancellationToken).ConfigureAwait(false);
    }
}
