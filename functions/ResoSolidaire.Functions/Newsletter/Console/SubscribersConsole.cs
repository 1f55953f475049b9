using System.Text.RegularExpressions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Newsletter.Console;

/// <summary>What a search of subscribers found: by the exact address (one record, possibly without a subscription) or by name.</summary>
public sealed record SubscriberSearch(string? Address, string? Name, SubscriberRecord? ByAddress, IReadOnlyList<SubscriberEntity> ByName);

/// <summary>
/// The subscribers in the staff console: counts by state; a search by the exact address (found through its keyed hash,
/// never by searching text) or by the name a subscriber gave; a subscriber's state, interests and consent; stopping
/// the newsletter for someone who asked staff to, confirmed first and recorded in the audit log. Searches are posted,
/// so that no address travels in an address bar or a log.
/// </summary>
public sealed partial class SubscribersConsole(SubscriberDesk desk, ConsoleForms forms)
{
    public const int NameResults = 50;

    /// <summary>Why an address is suppressed, as staff read it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["unsubscribe"] = "désinscription",
        ["group_unsubscribe"] = "désinscription",
        ["bounce"] = "adresse en erreur (le courriel est revenu)",
        ["dropped"] = "adresse refusée par le service d'envoi",
        ["spamreport"] = "lettre signalée comme indésirable",
    };

    /// <summary>Where a suppression came from, as staff read it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sources = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lien"] = "le lien de désinscription d'une lettre",
        ["one-click"] = "le bouton de désinscription de sa messagerie",
        ["webhook"] = "le service d'envoi (SendGrid)",
        [SubscriberDesk.StaffSource] = "l'équipe, à sa demande",
    };

    [Function(nameof(ConsoleSubscribers))]
    public async Task<ConsoleResult> ConsoleSubscribers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/abonnes")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var counts = await desk.CountAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return ConsoleGate.Page<SubscribersPage>(new { gate.Member, Counts = counts, Token = forms.Issue(request, gate.Member), Errors = new FieldErrors() });
    }

    [Function(nameof(ConsoleSearchSubscribers))]
    public async Task<ConsoleResult> ConsoleSearchSubscribers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/abonnes")] HttpRequest request)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewsletterPaths.Subscribers).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var ct = request.HttpContext.RequestAborted;
        var (address, name) = (post.Form.Value("adresse"), post.Form.Value("nom"));
        var errors = new FieldErrors();
        SubscriberSearch? search = null;
        if (address is not null)
        {
            if (FieldRules.EmailOrNull(errors, "adresse", address) is { } parsed)
            {
                search = new SubscriberSearch(parsed.Value, null, await desk.FindAsync(desk.KeyOf(parsed), ct).ConfigureAwait(false), []);
            }
        }
        else if (name is not null)
        {
            search = new SubscriberSearch(null, name, null, await desk.SearchByNameAsync(name, NameResults, ct).ConfigureAwait(false));
        }
        else
        {
            errors.Add("adresse", "Indiquez l'adresse exacte, ou une partie du nom.");
        }

        var counts = await desk.CountAsync(ct).ConfigureAwait(false);
        return ConsoleGate.Page<SubscribersPage>(
            new { post.Member, Counts = counts, Token = forms.Issue(request, post.Member), Errors = errors, Search = search, Address = address, Name = name },
            errors.Any ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    [Function(nameof(ConsoleSubscriber))]
    public async Task<ConsoleResult> ConsoleSubscriber(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/abonnes/{key}")] HttpRequest request,
        string key)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        if (!IsKey(key))
        {
            return NotFound(gate.Member);
        }

        var record = await desk.FindAsync(key, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (record.Subscriber is null && record.Suppression is null)
        {
            return NotFound(gate.Member);
        }

        var flash = request.Query["fait"].ToString() == "desinscrit" ? "La lettre ne sera plus envoyée à cette adresse. C'est noté dans le journal d'audit." : null;
        return ConsoleGate.Page<SubscriberPage>(new { gate.Member, Record = record, Flash = flash });
    }

    [Function(nameof(ConsoleUnsubscribeCheck))]
    public async Task<ConsoleResult> ConsoleUnsubscribeCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = NewsletterPaths.Route + "/abonnes/{key}/desinscrire")] HttpRequest request,
        string key)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        if (!IsKey(key))
        {
            return NotFound(gate.Member);
        }

        var record = await desk.FindAsync(key, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (record.Suppression is not null)
        {
            return TypedResults.Redirect(NewsletterPaths.Subscriber(key));
        }

        return ConsoleGate.Page<UnsubscribePage>(new { gate.Member, Record = record, Token = forms.Issue(request, gate.Member) });
    }

    [Function(nameof(ConsoleUnsubscribe))]
    public async Task<ConsoleResult> ConsoleUnsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = NewsletterPaths.Route + "/abonnes/{key}/desinscrire")] HttpRequest request,
        string key)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewsletterPaths.Unsubscribe(key)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        if (!IsKey(key))
        {
            return NotFound(post.Member);
        }

        await desk.UnsubscribeAsync(key, post.Member, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return TypedResults.Redirect(NewsletterPaths.Subscriber(key) + "?fait=desinscrit");
    }

    /// <summary>An address's key: the keyed hash, 64 hexadecimal digits.</summary>
    public static bool IsKey(string key) => KeyPattern().IsMatch(key);

    private static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Cette adresse est introuvable", Detail = "Elle n'est ni abonnée ni exclue de la lettre, ou ses données ont été effacées. Cherchez-la par son adresse exacte.", Back = NewsletterPaths.Subscribers },
            StatusCodes.Status404NotFound);

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
