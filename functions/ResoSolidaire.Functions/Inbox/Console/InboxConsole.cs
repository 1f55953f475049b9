using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Porteurs.Console;
using ResoSolidaire.Functions.Porteurs.FollowUp;

namespace ResoSolidaire.Functions.Inbox.Console;

/// <summary>The inbox in the staff console: the list of messages with its filters, a message, marking it handled.</summary>
public sealed class InboxConsole(ContactInbox inbox, CaseOpening caseOpening, ConsoleForms forms)
{
    public const string ListPath = ConsolePaths.Home + "/messages";

    private const int PageSize = 50;

    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["traite"] = "Le message est marqué comme traité.",
        ["a-traiter"] = "Le message est de nouveau à traiter.",
    };

    public static string MessagePath(string reference) => ListPath + "/" + Uri.EscapeDataString(reference);

    public static string HandlingPath(string reference) => MessagePath(reference) + "/suivi";

    /// <summary>Where a porteur de projet's case is opened from a message.</summary>
    public static string OpenCasePath(string reference) => MessagePath(reference) + "/dossier";

    [Function(nameof(ConsoleInbox))]
    public async Task<ConsoleResult> ConsoleInbox(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/messages")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var query = request.Query;
        string? Value(string name) => query[name].ToString().Trim() is { Length: > 0 } v ? v : null;
        var errors = new List<string>();
        var state = Value("etat") is "traites" or "tous" ? Value("etat")! : "a-traiter";
        var topic = Value("sujet") is { } t && ContactForm.Topics.ContainsKey(t) ? t : null;
        DateOnly? Date(string name, string label)
        {
            var text = Value(name);
            var date = LocalDates.Parse(text);
            if (text is not null && date is null)
            {
                errors.Add($"La date « {label} » n'est pas une date valide.");
            }

            return date;
        }

        var search = Value("recherche");
        if (search is { Length: > 200 })
        {
            errors.Add("La recherche fait plus de 200 caractères : raccourcissez-la.");
            search = null;
        }

        var from = Date("du", "reçus depuis le");
        var to = Date("au", "jusqu'au");
        var continuation = ContinuationText.TryDecode(Value("suite"), new Dictionary<string, string[]>(StringComparer.Ordinal));
        var filter = new InboxFilter(topic, from, to, state switch { "traites" => true, "tous" => null, _ => (bool?)false }, search);
        var page = await inbox.ListAsync(filter, PageSize, continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        string? More = page.Continuation is null
            ? null
            : ListPath + QueryString.Create(new Dictionary<string, string?>
            {
                ["etat"] = state,
                ["sujet"] = topic,
                ["recherche"] = search,
                ["du"] = from is null ? null : LocalDates.ToText(from.Value),
                ["au"] = to is null ? null : LocalDates.ToText(to.Value),
                ["suite"] = page.Continuation,
            }.Where(p => p.Value is not null));
        return ConsoleGate.Page<InboxListPage>(new
        {
            gate.Member,
            Messages = page.Items,
            State = state,
            Topic = topic,
            Search = search,
            From = from is null ? null : LocalDates.ToText(from.Value),
            To = to is null ? null : LocalDates.ToText(to.Value),
            More,
            Flash = Value("fait") is { } done ? Done.GetValueOrDefault(done) : null,
            Errors = (IReadOnlyList<string>)errors,
        });
    }

    [Function(nameof(ConsoleInboxMessage))]
    public async Task<ConsoleResult> ConsoleInboxMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/messages/{reference}")] HttpRequest request,
        string reference)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var message = await inbox.GetAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(gate.Member);
        }

        var done = request.Query["fait"].ToString();
        return MessagePage(request, gate.Member, message, Done.GetValueOrDefault(done), null, null);
    }

    [Function(nameof(ConsoleInboxHandling))]
    public async Task<ConsoleResult> ConsoleInboxHandling(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/messages/{reference}/suivi")] HttpRequest request,
        string reference)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, MessagePath(reference)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var member = post.Member;
        var form = post.Form;

        var cancellation = request.HttpContext.RequestAborted;
        if (form.Value("action") == "a-traiter")
        {
            var reopened = await inbox.MarkUnhandledAsync(reference, cancellation).ConfigureAwait(false);
            return reopened is null ? NotFound(member) : TypedResults.Redirect(MessagePath(reference) + "?fait=a-traiter");
        }

        var note = form.Value("note");
        if (note is { Length: > 2000 })
        {
            var current = await inbox.GetAsync(reference, cancellation).ConfigureAwait(false);
            return current is null
                ? NotFound(member)
                : MessagePage(request, member, current, null, note, $"La note fait {ConsoleText.Number(note.Length)} caractères : 2 000 au plus.", StatusCodes.Status400BadRequest);
        }

        var handled = await inbox.MarkHandledAsync(reference, note, member, cancellation).ConfigureAwait(false);
        return handled is null ? NotFound(member) : TypedResults.Redirect(MessagePath(reference) + "?fait=traite");
    }

    [Function(nameof(ConsoleInboxOpenCaseForm))]
    public async Task<ConsoleResult> ConsoleInboxOpenCaseForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/messages/{reference}/dossier")] HttpRequest request,
        string reference)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var message = await inbox.GetAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(gate.Member);
        }

        var (firstName, lastName) = SplitName(message.Name);
        var values = new PorteurRequest { FirstName = firstName, LastName = lastName, Email = message.Email, Phone = message.Phone, ProjectDescription = message.Message };
        return await OpenCasePageAsync(request, gate.Member, message, values, new FieldErrors()).ConfigureAwait(false);
    }

    [Function(nameof(ConsoleInboxOpenCase))]
    public async Task<ConsoleResult> ConsoleInboxOpenCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/messages/{reference}/dossier")] HttpRequest request,
        string reference)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, OpenCasePath(reference)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var message = await inbox.GetAsync(reference, cancellation).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(post.Member);
        }

        var form = post.Form;
        var values = new PorteurRequest
        {
            FirstName = form.Value("firstName"),
            LastName = form.Value("lastName"),
            Email = form.Value("email"),
            Phone = form.Value("phone"),
            Commune = form.Value("commune"),
            PostalCode = form.Value("postalCode"),
            ProjectTitle = form.Value("projectTitle"),
            ProjectDescription = form.Value("projectDescription"),
            Sector = form.Value("sector"),
            Stage = form.Value("stage"),
            LegalStatus = form.Value("legalStatus"),
            Needs = form.Values("needs"),
            Consent = form.Checked("consent"),
        };
        var opened = await caseOpening.OpenAsync(values, message.Reference, post.Member, cancellation).ConfigureAwait(false);
        if (!opened.IsOpened)
        {
            return await OpenCasePageAsync(request, post.Member, message, values, opened.Errors, StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }

        await inbox.MarkHandledAsync(reference, $"Dossier porteur de projet {opened.Reference} ouvert.", post.Member, cancellation).ConfigureAwait(false);
        return TypedResults.Redirect(CasesConsole.CasePath(opened.Reference) + "?fait=ouvert");
    }

    private async Task<RazorComponentResult> OpenCasePageAsync(HttpRequest request, StaffMember member, InboxMessageDto message, PorteurRequest values, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        ConsoleGate.Page<InboxOpenCasePage>(
            new
            {
                Member = member,
                Message = message,
                Values = values,
                Errors = errors,
                Token = forms.Issue(request, member),
                Sectors = await caseOpening.SectorsAsync(request.HttpContext.RequestAborted).ConfigureAwait(false),
            },
            status);

    /// <summary>« Camille Martin » -> (« Camille », « Martin »): a guess for staff to check, the first word being the first name.</summary>
    private static (string? FirstName, string? LastName) SplitName(string name)
    {
        var parts = name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length switch
        {
            0 => (null, null),
            1 => (null, parts[0]),
            _ => (parts[0], parts[1]),
        };
    }

    private RazorComponentResult MessagePage(HttpRequest request, StaffMember member, InboxMessageDto message, string? flash, string? note, string? noteError, int status = StatusCodes.Status200OK) =>
        ConsoleGate.Page<InboxMessagePage>(
            new { Member = member, Message = message, Token = forms.Issue(request, member), Flash = flash, Note = note, NoteError = noteError },
            status);

    private static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Ce message est introuvable", Detail = "Il a peut-être été effacé (demande d'effacement ou durée de conservation écoulée), ou l'adresse est erronée." },
            StatusCodes.Status404NotFound);
}

/// <summary>The home page's line for the inbox: the messages nobody has handled yet.</summary>
public sealed class InboxAttention(ContactInbox inbox) : IConsoleAttention
{
    public int Order => 10;

    public async Task<IReadOnlyList<AttentionItem>> ReadAsync(CancellationToken cancellationToken)
    {
        var count = await AttentionCount.OfAsync(continuation => inbox.ListAsync(new InboxFilter(null, null, null, false), PagedQuery.MaxPageSize, continuation, cancellationToken)).ConfigureAwait(false);
        return [new AttentionItem(count <= 1 ? "message à traiter" : "messages à traiter", count, InboxConsole.ListPath)];
    }
}
