using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Directory.Console;

/// <summary>
/// The directory's vocabularies in the console, for « Administration »: the kinds, sectors and tags with how many
/// fiches carry each; add a term, rename it, merge it into another, retire it (each change on a page of its own that
/// says what it will do to the fiches).
/// </summary>
public sealed class VocabularyConsole(VocabularyService service, VocabularyStore vocabularies, ConsoleForms forms)
{
    public const string HomePath = DirectoryConsole.ListPath + "/vocabulaires";

    public const string Rename = "renommer";
    public const string Merge = "fusionner";
    public const string Retire = "retirer";

    public static string PathOf(VocabularyName name) => HomePath + "/" + VocabularyNames.Slug(name);

    public static string AddPath(VocabularyName name) => PathOf(name) + "/ajouter";

    public static string StepPath(VocabularyName name, string code, string operation) => PathOf(name) + "/" + Uri.EscapeDataString(code) + "/" + operation;

    [Function(nameof(ConsoleVocabularies))]
    public Task<ConsoleResult> ConsoleVocabularies(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/vocabulaires")] HttpRequest request) =>
        VocabularyPageAsync(request, VocabularyNames.Slug(VocabularyName.Sectors));

    [Function(nameof(ConsoleVocabulary))]
    public Task<ConsoleResult> ConsoleVocabulary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/vocabulaires/{vocabulary}")] HttpRequest request,
        string vocabulary) =>
        VocabularyPageAsync(request, vocabulary);

    [Function(nameof(ConsoleVocabularyAdd))]
    public async Task<ConsoleResult> ConsoleVocabularyAdd(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/annuaire/vocabulaires/{vocabulary}/ajouter")] HttpRequest request,
        string vocabulary)
    {
        var (member, form, name, refusal) = await ReceiveAsync(request, vocabulary).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var label = form.Value("libelle");
        var outcome = await service.AddAsync(name, label, member, cancellation).ConfigureAwait(false);
        return outcome.Done
            ? TypedResults.Redirect(PathOf(name) + QueryString.Create(new Dictionary<string, string?> { ["fait"] = "ajoute", ["terme"] = outcome.Term!.Label }))
            : await RenderVocabularyAsync(request, member, name, null, label, outcome.Errors, StatusCodes.Status400BadRequest).ConfigureAwait(false);
    }

    [Function(nameof(ConsoleTermStep))]
    public async Task<ConsoleResult> ConsoleTermStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/vocabulaires/{vocabulary}/{code}/{operation}")] HttpRequest request,
        string vocabulary,
        string code,
        string operation)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Administration);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        return await StepPageAsync(request, gate.Member, vocabulary, code, operation, null, new FieldErrors()).ConfigureAwait(false);
    }

    [Function(nameof(ConsoleTermChange))]
    public async Task<ConsoleResult> ConsoleTermChange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/annuaire/vocabulaires/{vocabulary}/{code}/{operation}")] HttpRequest request,
        string vocabulary,
        string code,
        string operation)
    {
        var (member, form, name, refusal) = await ReceiveAsync(request, vocabulary).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var label = form.Value("libelle");
        var outcome = operation switch
        {
            Rename => await service.RenameAsync(name, code, label, member, cancellation).ConfigureAwait(false),
            Merge => await service.MergeAsync(name, code, form.Value("dans"), member, cancellation).ConfigureAwait(false),
            Retire => await service.RetireAsync(name, code, member, cancellation).ConfigureAwait(false),
            _ => null,
        };
        if (outcome is null)
        {
            return NotFound(member);
        }

        if (!outcome.Done)
        {
            return await StepPageAsync(request, member, vocabulary, code, operation, label, outcome.Errors, StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }

        var done = operation switch { Rename => "renomme", Merge => "fusionne", _ => "retire" };
        return TypedResults.Redirect(PathOf(name) + QueryString.Create(new Dictionary<string, string?>
        {
            ["fait"] = done,
            ["terme"] = outcome.Term!.Label,
            ["fiches"] = outcome.ActorsChanged.ToString(CultureInfo.InvariantCulture),
            ["manquees"] = outcome.ActorsMissed.ToString(CultureInfo.InvariantCulture),
        }));
    }

    /// <summary>A form of the vocabularies' pages: its sender with « Administration » and its token, and the vocabulary it is about.</summary>
    private async Task<(StaffMember Member, ConsoleForm Form, VocabularyName Name, ConsoleResult? Refusal)> ReceiveAsync(HttpRequest request, string vocabulary)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Administration, HomePath + "/" + vocabulary).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return (null!, null!, default, post.Refusal);
        }

        return VocabularyNames.FromSlug(vocabulary) is { } name ? (post.Member, post.Form, name, null) : (post.Member, post.Form, default, NotFound(post.Member));
    }

    private async Task<ConsoleResult> VocabularyPageAsync(HttpRequest request, string vocabulary)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Administration);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        if (VocabularyNames.FromSlug(vocabulary) is not { } name)
        {
            return NotFound(gate.Member);
        }

        return await RenderVocabularyAsync(request, gate.Member, name, Flash(request.Query, name), null, new FieldErrors()).ConfigureAwait(false);
    }

    private async Task<RazorComponentResult> RenderVocabularyAsync(HttpRequest request, StaffMember member, VocabularyName name, string? flash, string? label, FieldErrors errors, int status = StatusCodes.Status200OK)
    {
        var uses = await service.UsesAsync(name, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return ConsoleGate.Page<VocabularyPage>(
            new { Member = member, Name = name, Uses = uses, Flash = flash, Label = label, Errors = errors, Token = forms.Issue(request, member) },
            status);
    }

    private async Task<ConsoleResult> StepPageAsync(HttpRequest request, StaffMember member, string vocabulary, string code, string operation, string? label, FieldErrors errors, int status = StatusCodes.Status200OK)
    {
        if (VocabularyNames.FromSlug(vocabulary) is not { } name || operation is not (Rename or Merge or Retire))
        {
            return NotFound(member);
        }

        var uses = await service.UsesAsync(name, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (uses.FirstOrDefault(u => u.Term.RowKey == code) is not { } term)
        {
            return NotFound(member);
        }

        var current = (await vocabularies.CurrentAsync(request.HttpContext.RequestAborted).ConfigureAwait(false)).Of(name);
        return ConsoleGate.Page<TermStepPage>(
            new
            {
                Member = member,
                Name = name,
                Operation = operation,
                Term = term,
                Others = (IReadOnlyList<TermUse>)uses.Where(u => u.Term.State == TermStates.Active && u.Term.RowKey != code).OrderBy(u => current.All.ToList().FindIndex(t => t.Code == u.Term.RowKey)).ToList(),
                Label = label,
                Errors = errors,
                Token = forms.Issue(request, member),
            },
            status);
    }

    private static string? Flash(IQueryCollection query, VocabularyName name)
    {
        var term = query["terme"].ToString();
        var changed = int.TryParse(query["fiches"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var missed = int.TryParse(query["manquees"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        var fiches = changed == 0 ? "aucune fiche à modifier" : ConsoleText.Count(changed, "fiche modifiée", "fiches modifiées");
        var left = missed == 0 ? "" : $" {ConsoleText.Count(missed, "fiche, modifiée au même moment, n'a pas pu l'être", "fiches, modifiées au même moment, n'ont pas pu l'être")} : refaites la même opération pour les reprendre.";
        return query["fait"].ToString() switch
        {
            "ajoute" => $"« {term} » est ajouté à la liste.",
            "renomme" when name != VocabularyName.Tags => $"Le terme s'appelle désormais « {term} » : les fiches qui le portent l'affichent sous ce nom, et l'ancien libellé reste reconnu à l'import.",
            "renomme" => $"L'étiquette s'appelle désormais « {term} » ({fiches}).{left}",
            "fusionne" => $"La fusion dans « {term} » est faite ({fiches}).{left}",
            "retire" => $"« {term} » est retiré de la liste ({fiches}).{left}",
            _ => null,
        };
    }

    private static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Ce terme est introuvable", Detail = "Il a peut-être été fusionné ou retiré entre-temps, ou l'adresse est erronée.", Back = HomePath },
            StatusCodes.Status404NotFound);
}
