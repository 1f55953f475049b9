namespace ResoSolidaire.Functions.Contact;

/// <summary>A contact message that passed its checks, and the keyed hash of its content (duplicate detection).</summary>
public sealed record ContactSubmission(ContactMessage Message, string Fingerprint);

/// <summary>
/// The contact form, as <see cref="FormPipeline"/> runs it (gate, honeypot, checks, duplicate, the accepted
/// budget): stored first and mailed through the outbox, so that an accepted message is never lost.
/// </summary>
public sealed class ContactService(
    FormPipeline pipeline,
    SubmissionLedger ledger,
    ReferenceCounter references,
    ContactMails mails,
    MailOutbox outbox,
    EmailHasher emailHasher,
    IOptions<FormsOptions> options,
    TimeProvider time,
    ILogger<ContactService> logger) : IPublicForm<ContactRequest, ContactSubmission>, IFormMailSweeper
{
    public const string ReceivedMessage = "Merci ! Votre message a bien été envoyé. Vous allez recevoir un accusé de réception par e-mail.";

    public string Form => ContactForm.Name;

    public string Name => ContactForm.Name;

    public IReadOnlyDictionary<string, string> Labels => ContactForm.Labels;

    /// <summary>Receives a post of the contact form through the pipeline (what the function answers).</summary>
    public Task<FormResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, this, cancellationToken);

    public ContactRequest FromFields(FormBody body) => ContactForm.FromForm(body);

    public string? HoneypotOf(ContactRequest posted) => posted?.Website;

    public FormResult Decoy() =>
        FormResult.Accepted(new SubmissionReceipt(Honeypot.DecoyReference(ContactForm.ReferencePrefix, time), ReceivedMessage));

    public FormCheck<ContactSubmission> Check(ContactRequest posted, FormBody body, FieldErrors errors)
    {
        var message = ContactMessage.Validate(posted, errors);
        return new(message is null ? null : new ContactSubmission(message, ledger.Fingerprint(ContactForm.Name, message.FingerprintParts())));
    }

    public async Task<FormResult?> FindDuplicateAsync(ContactSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var earlier = await ledger.FindDuplicateAsync(ContactForm.TableName, submission.Fingerprint, cancellationToken).ConfigureAwait(false);
        return earlier is null ? null : FormResult.Accepted(new SubmissionReceipt(earlier, ReceivedMessage));
    }

    public async Task<FormResult> StoreAsync(ContactSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var message = submission.Message;
        var reference = await references.NextAsync(ContactForm.ReferencePrefix, cancellationToken).ConfigureAwait(false);
        var entity = ContactMessageEntity.From(message, emailHasher.Hash(EmailAddress.Parse(message.Email)), reference, time.GetUtcNow(), options.Value.ConsentTextVersion);
        var stored = await ledger.StoreAsync(ContactForm.TableName, entity, submission.Fingerprint, cancellationToken).ConfigureAwait(false);
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
