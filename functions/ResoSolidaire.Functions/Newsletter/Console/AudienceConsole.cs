using ResoSolidaire.Functions.Newsletter.Audience;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Newsletter.Console;

/// <summary>
/// The audience builder of a targeted mailing: criteria ticked among the values offered (places of the Pays de
/// Rennes, the directory's sectors, kinds and tags), the count of who would receive it by source after suppressions,
/// and a few of them. htmx counts again at each tick; without JavaScript, « Compter les destinataires » does.
/// A value that is not offered (a forged form) is refused, and nothing is saved.
/// </summary>
public sealed class AudienceConsole(EditionService editions, AudienceCriteria criteria, NewsletterAudience audience, ConsoleForms forms)
{
    /// <summary>The recipients shown of each source.</summary>
    public const int SampleSize = 5;

    /// <summary>The form's checkbox names, one per criterion (the segment's JSON names).</summary>
    public static readonly IReadOnlyList<string> CriterionFields = ["epcis", "communes", "quartiers", "sectors", "kinds", "tags"];

    [Function(nameof(ConsoleAudience))]
    public async Task<ConsoleResult> ConsoleAudience(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/{id}/destinataires")] HttpRequest request,
        string id)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var entity = await editions.FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return EditionsConsole.NotFound(gate.Member);
        }

        if (entity.Kind != EditionKind.Mailing || !EditionsConsole.IsEditable(entity))
        {
            return TypedResults.Redirect(NewsletterPaths.Edition(id));
        }

        var segment = EditionService.SegmentOf(entity);
        return await PageAsync(request, gate.Member, entity, segment, new FieldErrors(), ct).ConfigureAwait(false);
    }

    [Function(nameof(ConsoleSaveAudience))]
    public async Task<ConsoleResult> ConsoleSaveAudience(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}/destinataires")] HttpRequest request,
        string id)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewsletterPaths.Audience(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var entity = await editions.FindAsync(id, ct).ConfigureAwait(false);
        if (entity is null)
        {
            return EditionsConsole.NotFound(post.Member);
        }

        if (entity.Kind != EditionKind.Mailing || !EditionsConsole.IsEditable(entity))
        {
            return TypedResults.Redirect(NewsletterPaths.Edition(id));
        }

        var segment = Read(post.Form);
        var errors = ConsoleErrors(await criteria.ValidateAsync(segment, "segment", ct).ConfigureAwait(false));
        if (errors.Any || post.Form.Value("action") == "compter")
        {
            return await PageAsync(request, post.Member, entity, segment, errors, ct, errors.Any ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK).ConfigureAwait(false);
        }

        var (change, saved) = await editions.UpdateAsync(id, new EditionInput(null, null, null, null, null, null, segment), post.Member, ct).ConfigureAwait(false);
        return change == EditionChange.Done
            ? TypedResults.Redirect(NewsletterPaths.Edition(id) + "?fait=destinataires")
            : TypedResults.Redirect(NewsletterPaths.Edition(saved?.RowKey ?? id));
    }

    /// <summary>The count alone, for htmx at each tick.</summary>
    [Function(nameof(ConsoleCountAudience))]
    public async Task<ConsoleResult> ConsoleCountAudience(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/{id}/destinataires/compte")] HttpRequest request,
        string id)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewsletterPaths.Audience(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var segment = Read(post.Form);
        var errors = ConsoleErrors(await criteria.ValidateAsync(segment, "segment", ct).ConfigureAwait(false));
        var estimate = errors.Any ? null : await audience.EstimateAsync(segment, SampleSize, ct).ConfigureAwait(false);
        return ConsoleGate.Page<AudienceCountPanel>(new { Estimate = estimate, Segment = segment, Errors = errors });
    }

    public static string FieldsetOf(string criterion) => "critere-" + criterion;

    private static AudienceSegment Read(ConsoleForm form) => new AudienceSegment
    {
        Epcis = form.Values("epcis"),
        Communes = form.Values("communes"),
        Quartiers = form.Values("quartiers"),
        Sectors = form.Values("sectors"),
        Kinds = form.Values("kinds"),
        Tags = form.Values("tags"),
    }.Normalized();

    /// <summary>« segment.sectors[2] » becomes the criterion's group of checkboxes, which the error summary links to.</summary>
    private static FieldErrors ConsoleErrors(FieldErrors errors)
    {
        var console = new FieldErrors();
        foreach (var (field, message) in errors.Summary)
        {
            var criterion = field["segment.".Length..].Split('[')[0];
            console.Add(FieldsetOf(criterion), message);
        }

        return console;
    }

    private async Task<RazorComponentResult> PageAsync(HttpRequest request, StaffMember member, EditionEntity entity, AudienceSegment segment, FieldErrors errors, CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        // Read afresh: a tag just given to an actor must be offered at once (counts between two ticks may use the cache).
        var choices = await criteria.ChoicesAsync(ct, fresh: true).ConfigureAwait(false);
        var estimate = errors.Any ? null : await audience.EstimateAsync(segment, SampleSize, ct).ConfigureAwait(false);
        return ConsoleGate.Page<AudiencePage>(
            new { Member = member, Edition = entity, Choices = choices, Segment = segment, Estimate = estimate, Errors = errors, Token = forms.Issue(request, member) },
            status);
    }
}
