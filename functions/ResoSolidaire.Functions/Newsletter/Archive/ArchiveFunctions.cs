using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Platform.Tokens;

namespace ResoSolidaire.Functions.Newsletter.Archive;

public sealed record ArchivedEdition(string Id, string Subject, string SendDate, DateTimeOffset? SentAt, string Url);

/// <summary>The public archive of monthly editions, and the signed preview link mailed to staff with each draft.</summary>
public sealed class ArchiveFunctions(EditionService editions, NewsletterArchive archive, NewsletterLinks links)
{
    [Function(nameof(ListArchive))]
    public async Task<Ok<List<ArchivedEdition>>> ListArchive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "newsletter/archive")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await editions.ListAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(all
            .Where(e => e.Kind == EditionKind.Monthly && e.ArchivedAt is not null)
            .Select(e => new ArchivedEdition(e.RowKey, e.Subject, e.SendDate, e.CompletedAt, links.Archive(e.RowKey)))
            .ToList());
    }

    [Function(nameof(ShowArchivedEdition))]
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> ShowArchivedEdition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "newsletter/archive/{id}")] HttpRequest request,
        string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var html = id.Length <= 100 ? await archive.ReadAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false) : null;
        return html is null
            ? Problems.Problem(StatusCodes.Status404NotFound, "Cette lettre n'est pas dans les archives.")
            : TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    [Function(nameof(ShowSignedPreview))]
    public Task<Results<ContentHttpResult, ProblemHttpResult>> ShowSignedPreview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "newsletter/preview")] HttpRequest request) =>
        PublicRequests.WithLinkAsync(request, links.Tokens, NewsletterLinks.PreviewPurpose, async link =>
        {
            var edition = await editions.FindAsync(link.Subject, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (edition is null)
            {
                return PublicRequests.RefuseToken(request, new TokenCheck(TokenStatus.Invalid, null));
            }

            var rendered = await editions.RenderAsync(edition, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return TypedResults.Content(rendered.ForWeb(links.ArchiveList).Html, "text/html; charset=utf-8", Encoding.UTF8);
        });
}
