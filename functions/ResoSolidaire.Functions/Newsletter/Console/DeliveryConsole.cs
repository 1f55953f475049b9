using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Newsletter.Console;

/// <summary>
/// The delivery of an edition in the staff console: its batches and their outcome, the recipients to check, the
/// resend of one batch (after a warning that an uncertain batch may reach people twice) or of every failed batch
/// (never an uncertain one), each confirmed first; and the archive of what was sent.
/// </summary>
public sealed class DeliveryConsole(EditionService editions, DeliveryReport report, BatchResend resend, NewsletterLinks links, ConsoleForms forms)
{
    /// <summary>Recipients to check shown on the page; the full list is in the « deliveries » export.</summary>
    public const int RecipientsShown = 200;

    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["lot"] = "Le lot est renvoyé : il part au prochain passage de l'envoi automatique, dans quelques minutes.",
        ["echecs"] = "Les lots en échec sont renvoyés : ils partent au prochain passage de l'envoi automatique, dans quelques minutes.",
    };

    [Function(nameof(ConsoleDelivery))]
    public async Task<ConsoleResult> ConsoleDelivery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/{id}/envoi")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var (edition, delivery) = await ReadAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (edition is null || delivery is null)
        {
            return EditionsConsole.NotFound(gate.Member);
        }

        return ConsoleGate.Page<DeliveryPage>(new
        {
            gate.Member,
            Edition = edition,
            Delivery = delivery,
            Flash = Done.GetValueOrDefault(request.Query["fait"].ToString()),
            WebVersion = edition.ArchivedAt is null ? null : links.Archive(edition.RowKey),
        });
    }

    [Function(nameof(ConsoleResendCheck))]
    public async Task<ConsoleResult> ConsoleResendCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/{id}/envoi/lots/{batch}")] HttpRequest request,
        string id,
        string batch)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var (edition, delivery) = await ReadAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var found = delivery?.Batches.FirstOrDefault(b => b.Batch == batch);
        if (edition is null || found is null)
        {
            return NotFound(gate.Member, id);
        }

        return ConsoleGate.Page<ResendPage>(new { gate.Member, Edition = edition, Batches = (IReadOnlyList<BatchView>)[found], Token = forms.Issue(request, gate.Member), Action = NewsletterPaths.Resend(id, batch) });
    }

    [Function(nameof(ConsoleResendBatch))]
    public async Task<ConsoleResult> ConsoleResendBatch(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}/envoi/lots/{batch}")] HttpRequest request,
        string id,
        string batch)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewsletterPaths.Resend(id, batch)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var (outcome, entity) = await resend.ResendAsync(id, batch, post.Member, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome == ResendOutcome.Queued
            ? TypedResults.Redirect(NewsletterPaths.Delivery(id) + "?fait=lot")
            : Refused(post.Member, id, outcome, entity?.Status);
    }

    [Function(nameof(ConsoleRetryCheck))]
    public async Task<ConsoleResult> ConsoleRetryCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/{id}/envoi/echecs")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var (edition, delivery) = await ReadAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (edition is null || delivery is null)
        {
            return EditionsConsole.NotFound(gate.Member);
        }

        var failed = delivery.Batches.Where(b => b.Status == BatchStatus.Terms.Code(BatchStatus.Failed)).ToList();
        return failed.Count == 0
            ? TypedResults.Redirect(NewsletterPaths.Delivery(id))
            : ConsoleGate.Page<ResendPage>(new { gate.Member, Edition = edition, Batches = (IReadOnlyList<BatchView>)failed, Token = forms.Issue(request, gate.Member), Action = NewsletterPaths.RetryFailed(id), AllFailed = true });
    }

    [Function(nameof(ConsoleRetryFailed))]
    public async Task<ConsoleResult> ConsoleRetryFailed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}/envoi/echecs")] HttpRequest request,
        string id)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewsletterPaths.RetryFailed(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var (outcome, _) = await resend.RetryFailedAsync(id, post.Member, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return outcome == ResendOutcome.Queued
            ? TypedResults.Redirect(NewsletterPaths.Delivery(id) + "?fait=echecs")
            : Refused(post.Member, id, outcome, null);
    }

    [Function(nameof(ConsoleArchive))]
    public async Task<ConsoleResult> ConsoleArchive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/archives")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var sent = (await editions.ListAsync(request.HttpContext.RequestAborted).ConfigureAwait(false))
            .Where(e => e.Status is EditionStatus.Sent or EditionStatus.Sending)
            .OrderByDescending(e => e.CompletedAt ?? e.SendAtUtc)
            .Select(e => new ArchiveRow(e, e.ArchivedAt is null ? null : links.Archive(e.RowKey)))
            .ToList();
        return ConsoleGate.Page<ArchivePage>(new { gate.Member, Rows = sent });
    }

    private async Task<(EditionEntity? Edition, DeliveryView? Delivery)> ReadAsync(string id, CancellationToken ct) =>
        (await editions.FindAsync(id, ct).ConfigureAwait(false), await report.ViewAsync(id, ct).ConfigureAwait(false));

    private static RazorComponentResult Refused(StaffMember member, string id, ResendOutcome outcome, string? status) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new
            {
                Member = member,
                Title = outcome switch
                {
                    ResendOutcome.Purged => "Ce lot ne peut plus être renvoyé",
                    ResendOutcome.NotResendable => "Seul un lot en échec ou incertain peut être renvoyé",
                    ResendOutcome.NoBatch => "Aucun lot à renvoyer",
                    ResendOutcome.NoDelivery => "Cet envoi n'a pas encore commencé",
                    _ => "L'envoi a changé entre-temps",
                },
                Detail = outcome switch
                {
                    ResendOutcome.Purged => "Ses destinataires ont été effacés au terme de leur durée de conservation ; les chiffres de l'envoi restent. Rien n'a été renvoyé.",
                    ResendOutcome.NotResendable => $"Ce lot est maintenant « {BatchStatus.Terms.Label(status)} ». Rien n'a été renvoyé.",
                    ResendOutcome.NoBatch => "Aucun lot de cet envoi n'est en échec maintenant. Rien n'a été renvoyé.",
                    ResendOutcome.NoDelivery => "Ses destinataires ne sont pas encore arrêtés : il n'a aucun lot à renvoyer.",
                    _ => "Quelqu'un l'a modifié, ou l'envoi automatique était en train de l'achever. Rien n'a été renvoyé : rouvrez le rapport d'envoi et recommencez.",
                },
                Back = NewsletterPaths.Delivery(id),
            },
            StatusCodes.Status409Conflict);

    private static RazorComponentResult NotFound(StaffMember member, string id) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Ce lot est introuvable", Detail = "L'adresse est peut-être erronée. Rouvrez le rapport d'envoi.", Back = NewsletterPaths.Delivery(id) },
            StatusCodes.Status404NotFound);
}

/// <summary>A sent edition in the archive, with its public web version (monthly editions only).</summary>
public sealed record ArchiveRow(EditionEntity Edition, string? WebVersion);
