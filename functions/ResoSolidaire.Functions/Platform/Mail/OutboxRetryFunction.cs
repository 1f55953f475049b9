namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>Sends again the mails that SendGrid could not take when they were written.</summary>
public sealed class OutboxRetryFunction(MailOutbox outbox, ILogger<OutboxRetryFunction> logger)
{
    [Function(nameof(RetryOutbox))]
    public async Task RetryOutbox([TimerTrigger("%OutboxRetrySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var result = await outbox.RetryDueAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation(
            "Outbox pass: {Sent} sent, {Retrying} to retry, {Failed} failed, {Uncertain} marked uncertain",
            result.Sent, result.Retrying, result.Failed, result.MarkedUncertain);
    }
}
