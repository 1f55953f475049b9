using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Platform.Console;
using ResoSolidaire.Functions.Porteurs.FollowUp;

namespace ResoSolidaire.Functions.Porteurs.Console;

/// <summary>The porteurs de projet in the staff console: cases by phase, assignee and due action; a case and its changes.</summary>
public sealed class CasesConsole(CaseFollowUp cases, ConsoleForms forms, TimeProvider time)
{
    public const string ListPath = ConsolePaths.Home + "/porteurs";

    private const int PageSize = 50;

    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["phase"] = "La phase du dossier est changée.",
        ["note"] = "La note est ajoutée à l'historique.",
        ["responsable"] = "La personne qui suit le dossier est enregistrée.",
        ["prochaine-action"] = "La prochaine action est enregistrée.",
        ["orientation"] = "L'orientation est enregistrée dans l'historique.",
        ["ouvert"] = "Le dossier est ouvert, en phase « Accueil ». Le message dont il vient est marqué comme traité.",
    };

    public static string CasePath(string reference) => ListPath + "/" + Uri.EscapeDataString(reference);

    public static string ActionPath(string reference, string operation) => CasePath(reference) + "/" + operation;

    [Function(nameof(ConsoleCases))]
    public async Task<ConsoleResult> ConsoleCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/porteurs")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        string? Value(string name) => request.Query[name].ToString().Trim() is { Length: > 0 } v ? v : null;
        var phase = CasePhases.IsPhase(Value("phase")) ? Value("phase") : null;
        var assignee = Value("suiviPar");
        var due = Value("echeance") == "1";
        var continuation = ContinuationText.TryDecode(Value("suite"), new Dictionary<string, string[]>(StringComparer.Ordinal));
        var page = await cases.ListAsync(new CaseFilter(phase, assignee, null, null, null, null, due), PageSize, continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var more = page.Continuation is null
            ? null
            : ListPath + QueryString.Create(new Dictionary<string, string?> { ["phase"] = phase, ["suiviPar"] = assignee, ["echeance"] = due ? "1" : null, ["suite"] = page.Continuation }.Where(p => p.Value is not null));
        return ConsoleGate.Page<CaseListPage>(new
        {
            gate.Member,
            Cases = page.Items,
            Phase = phase,
            Assignee = assignee,
            Due = due,
            Today = LocalDates.Today(time),
            More = more,
        });
    }

    [Function(nameof(ConsoleCase))]
    public async Task<ConsoleResult> ConsoleCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/porteurs/{reference}")] HttpRequest request,
        string reference)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var detail = await cases.DetailAsync(reference, cancellation).ConfigureAwait(false);
        if (detail is null)
        {
            return NotFound(gate.Member);
        }

        var search = StaffQuery.Value(request.Query, "partenaire");
        var partners = search is { Length: >= 2 and <= 100 }
            ? (await cases.SearchPartnersAsync(search, 15, cancellation).ConfigureAwait(false)).Select(PartnerChoice.Of).ToList()
            : null;
        return CasePage(request, gate.Member, detail, Done.GetValueOrDefault(request.Query["fait"].ToString()), null, search: search, partners: partners);
    }

    [Function(nameof(ConsoleCaseChange))]
    public async Task<ConsoleResult> ConsoleCaseChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/porteurs/{reference}/{operation}")] HttpRequest request,
        string reference,
        string operation)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, CasePath(reference)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var member = post.Member;
        var form = post.Form;

        var by = member;
        var cancellation = request.HttpContext.RequestAborted;
        (string Title, string Detail)? invalid = null;
        (CaseStateEntity? State, CaseRefusal? Refusal) result = (null, null);
        switch (operation)
        {
            case "phase" when CasePhases.IsPhase(form.Value("phase")):
                result = await cases.ChangePhaseAsync(reference, form.Value("phase")!, form.Value("commentaire"), by, cancellation).ConfigureAwait(false);
                break;
            case "note" when form.Value("texte") is { Length: <= 4000 } text:
                var date = LocalDates.Parse(form.Value("date")) ?? LocalDates.Today(time);
                result = await cases.AddNoteAsync(reference, text, date, by, cancellation).ConfigureAwait(false);
                break;
            case "note":
                invalid = ("La note est vide", "Écrivez ce qui s'est dit ou fait (4 000 caractères au plus), puis ajoutez la note.");
                break;
            case "responsable":
                result = await cases.AssignAsync(reference, form.Value("responsable"), by, cancellation).ConfigureAwait(false);
                break;
            case "orientation" when form.Value("structure") is { } actorId && ActorStore.IsId(actorId) && form.Value("commentaire") is not { Length: > 2000 }:
                var partner = await cases.FindPartnerAsync(actorId, cancellation).ConfigureAwait(false);
                if (partner is null)
                {
                    invalid = ("Cette structure n'est plus dans l'annuaire", "Cherchez-la de nouveau : elle a peut-être été supprimée ou fusionnée avec une autre fiche.");
                    break;
                }

                result = await cases.OrientAsync(reference, partner, form.Value("commentaire"), by, cancellation).ConfigureAwait(false);
                break;
            case "orientation":
                invalid = ("Aucune structure n'est choisie", "Cherchez la structure dans l'annuaire, cochez-la, puis enregistrez l'orientation (le commentaire fait 2 000 caractères au plus).");
                break;
            case "prochaine-action":
                var next = form.Value("date");
                if (next is not null && LocalDates.Parse(next) is null)
                {
                    invalid = ("La date de la prochaine action n'est pas valide", "Choisissez une date dans le calendrier, ou laissez-la vide pour n'en prévoir aucune.");
                    break;
                }

                result = await cases.SetNextActionAsync(reference, LocalDates.Parse(next), form.Value("libelle"), by, cancellation).ConfigureAwait(false);
                break;
            default:
                invalid = ("Cette modification n'est pas possible", "Rouvrez le dossier et utilisez l'un de ses formulaires.");
                break;
        }

        if (invalid is null && result.Refusal is null && result.State is not null)
        {
            return TypedResults.Redirect(CasePath(reference) + "?fait=" + operation);
        }

        var detail = await cases.DetailAsync(reference, cancellation).ConfigureAwait(false);
        if (detail is null)
        {
            return NotFound(member);
        }

        var error = invalid ?? (result.Refusal is { } refusal ? (refusal.Title, refusal.Detail) : ("Ce dossier est introuvable", "Il a peut-être été effacé."));
        return CasePage(request, member, detail, null, error, StatusCodes.Status400BadRequest);
    }

    private RazorComponentResult CasePage(HttpRequest request, StaffMember member, CaseDetailDto detail, string? flash, (string, string)? error, int status = StatusCodes.Status200OK, string? search = null, IReadOnlyList<PartnerChoice>? partners = null) =>
        ConsoleGate.Page<CasePage>(
            new { Member = member, Detail = detail, Token = forms.Issue(request, member), Today = LocalDates.Today(time), Flash = flash, Error = error, PartnerSearch = search, Partners = partners },
            status);

    private static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Ce dossier est introuvable", Detail = "Il a peut-être été effacé (demande d'effacement ou durée de conservation écoulée), ou l'adresse est erronée." },
            StatusCodes.Status404NotFound);
}

/// <summary>The home page's line for the porteurs: open cases whose planned action is today or past.</summary>
public sealed class CasesAttention(CaseFollowUp cases) : IConsoleAttention
{
    public int Order => 20;

    public async Task<IReadOnlyList<AttentionItem>> ReadAsync(CancellationToken cancellationToken)
    {
        var count = await AttentionCount.OfAsync(continuation => cases.ListAsync(new CaseFilter(null, null, null, null, null, null, true), PagedQuery.MaxPageSize, continuation, cancellationToken)).ConfigureAwait(false);
        return [new AttentionItem(count <= 1 ? "dossier dont l'action prévue est échue" : "dossiers dont l'action prévue est échue", count, CasesConsole.ListPath + "?echeance=1")];
    }
}

/// <summary>A structure of the directory offered as a partner to orient a case to: its name, and what tells it apart.</summary>
public sealed record PartnerChoice(string Id, string Name, string Detail)
{
    public static PartnerChoice Of(ActorEntity actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var kind = ActorKinds.Terms.Find(actor.Kind)?.Label ?? actor.Kind;
        return new PartnerChoice(actor.RowKey, actor.Name, actor.CommuneName is null ? kind : $"{kind}, {actor.CommuneName}");
    }
}
