namespace ResoSolidaire.Functions.Newsletter.Editions;

/// <summary>Once a month, drafts next month's edition when none exists and mails staff a preview link.</summary>
public sealed class DraftFunction(EditionService editions)
{
    [Function(nameof(DraftMonthlyNewsletter))]
    public async Task DraftMonthlyNewsletter([TimerTrigger("%NewsletterDraftSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await editions.DraftNextMonthAsync(cancellationToken).ConfigureAwait(false);
    }
}
