using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Newsletter.Console;

/// <summary>
/// The home page's lines for the newsletter: editions waiting for approval, and deliveries with failed or uncertain
/// batches (linking to the delivery itself when there is one, else to the editions to check).
/// </summary>
public sealed class NewsletterAttention(EditionService editions, DeliveryReport deliveries) : IConsoleAttention
{
    public int Order => 50;

    public async Task<IReadOnlyList<AttentionItem>> ReadAsync(CancellationToken cancellationToken)
    {
        var drafts = (await editions.ListAsync(cancellationToken).ConfigureAwait(false)).Count(e => e.Status == EditionStatus.Draft);
        var problems = await deliveries.ProblemsAsync(cancellationToken).ConfigureAwait(false);
        var batches = problems.Values.Sum();
        return
        [
            new AttentionItem(drafts <= 1 ? "édition en attente d'approbation" : "éditions en attente d'approbation", drafts, NewsletterPaths.List + "?statut=brouillon"),
            new AttentionItem(
                batches <= 1 ? "lot de la lettre en échec ou incertain" : "lots de la lettre en échec ou incertains",
                batches,
                problems.Count == 1 ? NewsletterPaths.Delivery(problems.Keys.First()) : NewsletterPaths.List + "?statut=a-verifier"),
        ];
    }
}
