using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Directory.Console;

/// <summary>
/// The directory in the staff console: the list with its filters, count and export; an actor's page; creating,
/// editing (guarded by the version read: a change made meanwhile shows both versions) and deleting (confirmed).
/// </summary>
public sealed class DirectoryConsole(ActorStore store, VocabularyStore vocabularies, ContactMessageStore messages, ConsoleForms forms, TimeProvider time, ILogger<DirectoryConsole> logger)
{
    public const string ListPath = ConsolePaths.Home + "/annuaire";

    public const string NewPath = ListPath + "/nouvelle";

    /// <summary>The query parameter of <see cref="NewActorPath"/>: a contact message's reference, never its content (an address would reach the request logs).</summary>
    public const string FromMessage = "message";

    public const int PageSize = 50;

    private const string VersionField = "version";

    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["creee"] = "La fiche est créée.",
        ["modifiee"] = "La fiche est enregistrée.",
        ["supprimee"] = "La fiche est supprimée.",
    };

    public static string ActorPath(string id) => ListPath + "/" + Uri.EscapeDataString(id);

    public static string EditPath(string id) => ActorPath(id) + "/modifier";

    public static string DeletePath(string id) => ActorPath(id) + "/supprimer";

    /// <summary>
    /// The creation page with fields filled in, for another page that knows someone (the inbox's « Créer une fiche dans
    /// l'annuaire » from a contact message): a name and a structure make the structure's fiche with the person in its
    /// notes, a name alone a person's. Every parameter may be null.
    /// </summary>
    /// <summary>The create page, prefilled from a contact message (the inbox's « Créer une fiche dans l'annuaire »).</summary>
    public static string NewActorPath(string messageReference) =>
        NewPath + QueryString.Create(FromMessage, messageReference);

    [Function(nameof(ConsoleDirectory))]
    public async Task<ConsoleResult> ConsoleDirectory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var vocabulary = await vocabularies.CurrentAsync(cancellation).ConfigureAwait(false);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = ActorQuery.Parse(request.Query, vocabulary, errors);
        var actors = errors.Count > 0 ? [] : await store.ListAllAsync(filter, vocabulary, cancellation).ConfigureAwait(false);
        var french = StringComparer.Create(CultureInfo.GetCultureInfo("fr-FR"), CompareOptions.IgnoreCase);
        var sorted = actors.OrderBy(a => a.Name, french).ToList();
        var pages = Math.Max(1, (sorted.Count + PageSize - 1) / PageSize);
        var page = int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) ? Math.Clamp(asked, 1, pages) : 1;
        var query = FilterQuery(request.Query);
        return ConsoleGate.Page<ActorListPage>(new
        {
            gate.Member,
            Vocabulary = vocabulary,
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            Actors = (IReadOnlyList<ActorEntity>)sorted.Skip((page - 1) * PageSize).Take(PageSize).ToList(),
            Total = sorted.Count,
            Page = page,
            Pages = pages,
            FilterQuery = query,
            Filtered = query.Length > 0,
            Errors = (IReadOnlyList<string>)errors.Values.SelectMany(v => v).ToList(),
            Flash = Done.GetValueOrDefault(request.Query["fait"].ToString()),
        });
    }

    [Function(nameof(ConsoleActorCreation))]
    public async Task<ConsoleResult> ConsoleActorCreation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/nouvelle")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var vocabulary = await vocabularies.CurrentAsync(cancellation).ConfigureAwait(false);
        var message = StaffQuery.Value(request.Query, FromMessage) is { } reference
            ? await messages.GetAsync(reference, cancellation).ConfigureAwait(false)
            : null;
        var values = message is null
            ? ActorFormValues.Empty
            : ActorFormValues.Prefill(message.Reference, message.Name, message.Email, message.Organisation, message.Phone, vocabulary.Kinds);
        return FormPage(request, gate.Member, vocabulary, null, values, new FieldErrors());
    }

    [Function(nameof(ConsoleActorCreate))]
    public async Task<ConsoleResult> ConsoleActorCreate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/annuaire/nouvelle")] HttpRequest request)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, NewPath).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var vocabulary = await vocabularies.CurrentAsync(cancellation).ConfigureAwait(false);
        var values = ActorFormValues.FromForm(post.Form);
        var (fields, errors) = Check(values, vocabulary);
        if (fields is null)
        {
            return FormPage(request, post.Member, vocabulary, null, values, errors, StatusCodes.Status400BadRequest);
        }

        var result = await store.CreateAsync(fields, post.Member, cancellation).ConfigureAwait(false);
        if (result.Outcome == StoreOutcome.DuplicateSiret)
        {
            errors.Add("siret", await DuplicateSiretAsync(result.ConflictingId!, cancellation).ConfigureAwait(false));
            return FormPage(request, post.Member, vocabulary, null, values, errors, StatusCodes.Status400BadRequest);
        }

        logger.LogInformation("Actor {ActorId} created in the console", result.Actor!.RowKey);
        return TypedResults.Redirect(ActorPath(result.Actor.RowKey) + "?fait=creee");
    }

    [Function(nameof(ConsoleActor))]
    public Task<ConsoleResult> ConsoleActor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/{id}")] HttpRequest request,
        string id) =>
        WithActorAsync(request, id, (member, actor, vocabulary) => ConsoleGate.Page<ActorPage>(new
        {
            Member = member,
            Actor = actor,
            Vocabulary = vocabulary,
            Flash = Done.GetValueOrDefault(request.Query["fait"].ToString()),
        }));

    [Function(nameof(ConsoleActorEdit))]
    public Task<ConsoleResult> ConsoleActorEdit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/{id}/modifier")] HttpRequest request,
        string id) =>
        WithActorAsync(request, id, (member, actor, vocabulary) => FormPage(request, member, vocabulary, actor, ActorFormValues.FromActor(actor), new FieldErrors()));

    [Function(nameof(ConsoleActorSave))]
    public async Task<ConsoleResult> ConsoleActorSave(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/annuaire/{id}/modifier")] HttpRequest request,
        string id)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, EditPath(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var actor = await store.GetAsync(id, cancellation).ConfigureAwait(false);
        if (actor is null)
        {
            return NotFound(post.Member);
        }

        var vocabulary = await vocabularies.CurrentAsync(cancellation).ConfigureAwait(false);
        var values = ActorFormValues.FromForm(post.Form);
        var version = post.Form.Value(VersionField);
        var (fields, errors) = Check(values, vocabulary);
        if (fields is null)
        {
            // The page comes back with the version the person started from: a change made meanwhile is still caught.
            return FormPage(request, post.Member, vocabulary, actor, values, errors, StatusCodes.Status400BadRequest, version);
        }

        var result = version is null
            ? new StoreResult(StoreOutcome.Stale)
            : await store.ReplaceAsync(id, fields, new ETag(version), post.Member, cancellation).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case StoreOutcome.NotFound:
                return NotFound(post.Member);
            case StoreOutcome.Stale:
                var current = await store.GetAsync(id, cancellation).ConfigureAwait(false);
                return current is null ? NotFound(post.Member) : ConflictPage(request, post.Member, vocabulary, current, values, fields);
            case StoreOutcome.DuplicateSiret:
                errors.Add("siret", await DuplicateSiretAsync(result.ConflictingId!, cancellation).ConfigureAwait(false));
                return FormPage(request, post.Member, vocabulary, actor, values, errors, StatusCodes.Status400BadRequest, version);
            default:
                logger.LogInformation("Actor {ActorId} updated in the console", id);
                return TypedResults.Redirect(ActorPath(id) + "?fait=modifiee");
        }
    }

    [Function(nameof(ConsoleActorDeleteConfirm))]
    public Task<ConsoleResult> ConsoleActorDeleteConfirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/annuaire/{id}/supprimer")] HttpRequest request,
        string id) =>
        WithActorAsync(request, id, (member, actor, _) => DeletePage(request, member, actor, changedMeanwhile: false));

    [Function(nameof(ConsoleActorDelete))]
    public async Task<ConsoleResult> ConsoleActorDelete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/annuaire/{id}/supprimer")] HttpRequest request,
        string id)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Team, DeletePath(id)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var version = post.Form.Value(VersionField);
        var outcome = version is null ? StoreOutcome.Stale : await store.DeleteAsync(id, new ETag(version), cancellation).ConfigureAwait(false);
        switch (outcome)
        {
            case StoreOutcome.Done:
                logger.LogInformation("Actor {ActorId} deleted in the console", id);
                return TypedResults.Redirect(ListPath + "?fait=supprimee");
            case StoreOutcome.Stale when await store.GetAsync(id, cancellation).ConfigureAwait(false) is { } current:
                return DeletePage(request, post.Member, current, changedMeanwhile: true);
            default:
                return NotFound(post.Member);
        }
    }

    /// <summary>A page about one actor: the signed-in member (else sign-in or 403), the actor (else 404) and the vocabularies.</summary>
    private async Task<ConsoleResult> WithActorAsync(HttpRequest request, string id, Func<StaffMember, ActorEntity, DirectoryVocabularies, RazorComponentResult> render)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var cancellation = request.HttpContext.RequestAborted;
        var actor = await store.GetAsync(id, cancellation).ConfigureAwait(false);
        if (actor is null)
        {
            return NotFound(gate.Member);
        }

        return render(gate.Member, actor, await vocabularies.CurrentAsync(cancellation).ConfigureAwait(false));
    }

    /// <summary>The form's values against the directory's rules (the API's), with the form's field names.</summary>
    private (ActorFields? Fields, FieldErrors Errors) Check(ActorFormValues values, DirectoryVocabularies vocabulary)
    {
        var errors = new FieldErrors();
        var input = values.ToInput(errors);
        var (fields, apiErrors) = ActorRules.Validate(input, vocabulary, LocalDates.Today(time));
        ActorFormValues.AddErrors(errors, apiErrors);
        return (errors.Any ? null : fields, errors);
    }

    private async Task<string> DuplicateSiretAsync(string otherId, CancellationToken cancellationToken)
    {
        var other = await store.GetAsync(otherId, cancellationToken).ConfigureAwait(false);
        return other is null
            ? "Une autre fiche porte déjà ce SIRET."
            : $"La fiche « {other.Name} » porte déjà ce SIRET : modifiez plutôt celle-ci.";
    }

    private RazorComponentResult FormPage(HttpRequest request, StaffMember member, DirectoryVocabularies vocabulary, ActorEntity? actor, ActorFormValues values, FieldErrors errors, int status = StatusCodes.Status200OK, string? version = null) =>
        ConsoleGate.Page<ActorFormPage>(
            new
            {
                Member = member,
                Vocabulary = vocabulary,
                Actor = actor,
                Values = values,
                Errors = errors,
                Version = version ?? actor?.ETag.ToString(),
                Token = forms.Issue(request, member),
            },
            status);

    private RazorComponentResult ConflictPage(HttpRequest request, StaffMember member, DirectoryVocabularies vocabulary, ActorEntity current, ActorFormValues mine, ActorFields myFields)
    {
        var proposed = ActorMapping.CopyIdentity(current);
        ActorMapping.Apply(proposed, myFields);
        return ConsoleGate.Page<ActorConflictPage>(
            new
            {
                Member = member,
                Vocabulary = vocabulary,
                Current = current,
                Proposed = proposed,
                Differences = ActorMapping.Differences(current, proposed),
                Mine = mine,
                Token = forms.Issue(request, member),
            },
            StatusCodes.Status409Conflict);
    }

    private RazorComponentResult DeletePage(HttpRequest request, StaffMember member, ActorEntity actor, bool changedMeanwhile) =>
        ConsoleGate.Page<ActorDeletePage>(
            new { Member = member, Actor = actor, ChangedMeanwhile = changedMeanwhile, Token = forms.Issue(request, member) },
            changedMeanwhile ? StatusCodes.Status409Conflict : StatusCodes.Status200OK);

    private static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Cette fiche est introuvable", Detail = "Elle a peut-être été supprimée (par quelqu'un de l'équipe, ou à la suite d'une demande d'effacement), ou l'adresse est erronée." },
            StatusCodes.Status404NotFound);

    /// <summary>The list's filters as given (without the page and the message), to carry to the export and the pages.</summary>
    private static string FilterQuery(IQueryCollection query) =>
        QueryString.Create(ActorListFilters.Names
            .Select(n => new KeyValuePair<string, string?>(n, query[n].ToString().Trim()))
            .Where(p => p.Value!.Length > 0)).ToString();
}

/// <summary>The list's filters: their names in the address are the staff API's (so the export reads the same).</summary>
public static class ActorListFilters
{
    public static IReadOnlyList<string> Names { get; } = ["q", "kind", "status", "sector", "epci", "commune", "quartier", "tag", "newsletter", "review"];
}

/// <summary>The home page's line for the directory: the persons flagged for review by the retention pass.</summary>
public sealed class DirectoryAttention(ActorStore store, VocabularyStore vocabularies) : IConsoleAttention
{
    public int Order => 30;

    public async Task<IReadOnlyList<AttentionItem>> ReadAsync(CancellationToken cancellationToken)
    {
        var vocabulary = await vocabularies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var count = (await store.ListAllAsync(new ActorFilter(Review: true), vocabulary, cancellationToken).ConfigureAwait(false)).Count;
        return [new AttentionItem(count <= 1 ? "personne de l'annuaire à revoir (sans contact depuis longtemps)" : "personnes de l'annuaire à revoir (sans contact depuis longtemps)", count, DirectoryConsole.ListPath + "?review=true")];
    }
}
