namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>A form whose stored submissions may still need their mails handed to the outbox.</summary>
public interface IFormMailSweeper
{
    string Form { get; }

    /// <summary>Queues the mails of submissions stored a while ago whose mails were never queued; returns how many.</summary>
    Task<int> SweepAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A submission is stored before its mails are queued; if the worker stopped in between, this timer
/// queues them (with the same idempotency keys, so a mail already queued is not queued twice).
/// </summary>
public sealed class FormMailSweepFunction(IEnumerable<IFormMailSweeper> sweepers, ILogger<FormMailSweepFunction> logger)
{
    /// <summary>How long a submission may wait for its mails before the sweep takes over (a request in flight finishes first).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    [Function(nameof(SweepFormMails))]
    public async Task SweepFormMails([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        foreach (var sweeper in sweepers)
        {
            var queued = await sweeper.SweepAsync(cancellationToken).ConfigureAwait(false);
            if (queued > 0)
            {
                logger.LogWarning("Form {Form}: mails of {Count} submission(s) queued by the sweep", sweeper.Form, queued);
            }
        }
    }
}
