using System.Text.Encodings.Web;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Privacy.Console;

/// <summary>
/// Requests about personal data in the console (« Administration » only): record a request (access or erasure, the
/// day it was received) for an address, read what is held about it feature by feature, download it as JSON or as a
/// readable document, preview an erasure and confirm it by typing the address; the history of requests with their
/// one-month deadline. The address travels in form bodies, never in an address bar; the history keeps its keyed hash.
/// </summary>
public sealed class PrivacyConsole(PrivacyService privacy, PrivacyRequests requests, ConsoleForms forms, TimeProvider time)
{
    public const string HomePath = ConsolePaths.Home + "/donnees-personnelles";

    public const string NewRequestPath = HomePath + "/demandes";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string RequestPath(string reference) => NewRequestPath + "/" + Uri.EscapeDataString(reference);

    public static string ActionPath(string reference, string action) => RequestPath(reference) + "/" + action;

    [Function(nameof(ConsolePrivacy))]
    public async Task<ConsoleResult> ConsolePrivacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/donnees-personnelles")] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Administration);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        return await HomeAsync(request, gate.Member, new FieldErrors(), null, null, null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>A new request: recorded, then what is held about the address shown at once (no redirect: the address may not go in a URL).</summary>
    [Function(nameof(ConsolePrivacyRequest))]
    public async Task<ConsoleResult> ConsolePrivacyRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/donnees-personnelles/demandes")] HttpRequest request)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Administration, HomePath).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return post.Refusal;
        }

        var (member, form) = (post.Member, post.Form);
        var errors = new FieldErrors();
        var email = FieldRules.EmailOrNull(errors, "adresse", form.Value("adresse"));
        var kind = form.Value("nature");
        if (kind is not (PrivacyRequestKinds.Access or PrivacyRequestKinds.Erasure))
        {
            errors.Add("nature", "Choisissez la nature de la demande : accès ou effacement.");
        }

        var today = LocalDates.Today(time);
        var received = LocalDates.Parse(form.Value("recue-le"));
        if (received is null)
        {
            errors.Add("recue-le", "Indiquez le jour où la demande est arrivée (le délai d'un mois court à partir de ce jour).");
        }
        else if (received > today)
        {
            errors.Add("recue-le", "Ce jour est à venir : indiquez le jour où la demande est arrivée.");
        }

        if (errors.Any)
        {
            return await HomeAsync(request, member, errors, form.Value("adresse"), kind, form.Value("recue-le"), StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }

        var cancellation = request.HttpContext.RequestAborted;
        var hash = privacy.HashOf(email!);

        // Sent twice (a reload of this page), the same open request is shown again rather than recorded twice.
        var open = (await requests.AboutAsync(hash, cancellation).ConfigureAwait(false))
            .FirstOrDefault(r => r.Kind == kind && r.Status == PrivacyRequestKinds.Open && r.ReceivedOn == LocalDates.ToText(received!.Value));
        var recorded = open is not null
            ? RightsRequest.From(open)
            : await requests.RecordAsync(kind!, received!.Value, hash, member, cancellation).ConfigureAwait(false);
        return await DataPageAsync(request, member, recorded, email!, cancellation).ConfigureAwait(false);
    }

    [Function(nameof(ConsolePrivacyRequestPage))]
    public async Task<ConsoleResult> ConsolePrivacyRequestPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/donnees-personnelles/demandes/{reference}")] HttpRequest request,
        string reference)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Administration);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var found = await requests.FindAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (found is null)
        {
            return NotFound(gate.Member);
        }

        var flash = request.Query["fait"].ToString() switch
        {
            "efface" => "L'effacement est fait. Ce qui reste (l'empreinte de l'adresse dans la liste d'opposition, le journal, cette demande) ne contient plus l'adresse.",
            _ => null,
        };
        return RequestPage(request, gate.Member, RightsRequest.From(found), new FieldErrors(), null, flash);
    }

    /// <summary>Back to a request recorded earlier: the address typed again, checked against the request's hash.</summary>
    [Function(nameof(ConsolePrivacyResume))]
    public async Task<ConsoleResult> ConsolePrivacyResume(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/donnees-personnelles/demandes/{reference}/reprendre")] HttpRequest request,
        string reference)
    {
        var received = await ReceiveAsync(request, reference).ConfigureAwait(false);
        if (received.Refusal is { } refusal)
        {
            return refusal;
        }

        var (member, entity, email) = (received.Member!, received.Request!, received.Email);
        if (email is null)
        {
            return RequestPage(request, member, RightsRequest.From(entity), received.Errors, received.Typed, null, StatusCodes.Status400BadRequest);
        }

        return await DataPageAsync(request, member, RightsRequest.From(entity), email, request.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The answer to send: everything held, as a readable document (HTML) or JSON; an access request is then answered.</summary>
    [Function(nameof(ConsolePrivacyDocument))]
    public async Task<Results<FileContentHttpResult, RazorComponentResult, RedirectHttpResult>> ConsolePrivacyDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/donnees-personnelles/demandes/{reference}/document")] HttpRequest request,
        string reference)
    {
        var received = await ReceiveAsync(request, reference).ConfigureAwait(false);
        if (received.Refusal is { } refusal)
        {
            return refusal.Result switch
            {
                RazorComponentResult page => page,
                RedirectHttpResult redirect => redirect,
                _ => throw new InvalidOperationException("A console refusal is a page or a redirect."),
            };
        }

        var (member, entity, email) = (received.Member!, received.Request!, received.Email);
        if (email is null)
        {
            return RequestPage(request, member, RightsRequest.From(entity), received.Errors, received.Typed, null, StatusCodes.Status400BadRequest);
        }

        var json = received.Form!.Value("format") == "json";
        var cancellation = request.HttpContext.RequestAborted;
        var data = await privacy.DescribeAsync(email, member, json ? "json" : "document", cancellation).ConfigureAwait(false);
        if (entity.Kind == PrivacyRequestKinds.Access && entity.Status == PrivacyRequestKinds.Open)
        {
            await requests.CloseAsync(entity, PrivacyRequestKinds.Answered, null, member, cancellation).ConfigureAwait(false);
        }

        var stem = $"donnees-personnelles_{entity.RowKey}";
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (json)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(ReadableJson(data, entity.RowKey), Json);
            return TypedResults.File(body, "application/json; charset=utf-8", stem + ".json");
        }

        // A page of its own (no console around it), sent as a file to keep and to send to the person.
        request.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{stem}.html\"";
        return ConsoleGate.Page<PersonalDataDocument>(new { Data = data, Request = RightsRequest.From(entity) });
    }

    /// <summary>Check the answers: exactly what erasure deletes, anonymises and keeps (and why), then the typed confirmation.</summary>
    [Function(nameof(ConsolePrivacyErasurePreview))]
    public async Task<ConsoleResult> ConsolePrivacyErasurePreview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/donnees-personnelles/demandes/{reference}/apercu")] HttpRequest request,
        string reference)
    {
        var received = await ReceiveAsync(request, reference).ConfigureAwait(false);
        if (received.Refusal is { } refusal)
        {
            return refusal;
        }

        var (member, entity, email) = (received.Member!, received.Request!, received.Email);
        if (email is null)
        {
            return RequestPage(request, member, RightsRequest.From(entity), received.Errors, received.Typed, null, StatusCodes.Status400BadRequest);
        }

        return await PreviewAsync(request, member, entity, email, new FieldErrors(), null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    [Function(nameof(ConsolePrivacyErasure))]
    public async Task<ConsoleResult> ConsolePrivacyErasure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ConsolePaths.Route + "/donnees-personnelles/demandes/{reference}/effacement")] HttpRequest request,
        string reference)
    {
        var received = await ReceiveAsync(request, reference).ConfigureAwait(false);
        if (received.Refusal is { } refusal)
        {
            return refusal;
        }

        var (member, entity, email) = (received.Member!, received.Request!, received.Email);
        if (email is null)
        {
            return RequestPage(request, member, RightsRequest.From(entity), received.Errors, received.Typed, null, StatusCodes.Status400BadRequest);
        }

        var typed = received.Form!.Value("confirmation");
        var errors = new FieldErrors();
        if (typed is null)
        {
            errors.Add("confirmation", "Saisissez l'adresse de la personne pour confirmer l'effacement.");
        }
        else if (!EmailAddress.TryParse(typed, out var confirmed) || confirmed != email)
        {
            errors.Add("confirmation", "Ce n'est pas l'adresse de la demande : rien n'a été effacé. Saisissez-la telle qu'elle est rappelée ci-dessus.");
        }

        if (entity.Kind != PrivacyRequestKinds.Erasure || entity.Status != PrivacyRequestKinds.Open)
        {
            errors.Add("confirmation", entity.Kind != PrivacyRequestKinds.Erasure
                ? "Cette demande est une demande d'accès : enregistrez une demande d'effacement pour effacer."
                : "Cette demande d'effacement est déjà faite.");
        }

        if (errors.Any)
        {
            return await PreviewAsync(request, member, entity, email, errors, typed, StatusCodes.Status400BadRequest).ConfigureAwait(false);
        }

        // Once started, an erasure runs to its end even if the browser goes away.
        var report = await privacy.EraseAsync(email, member, CancellationToken.None).ConfigureAwait(false);
        await requests.CloseAsync(entity, PrivacyRequestKinds.Erased, report.Erased, member, CancellationToken.None).ConfigureAwait(false);
        return TypedResults.Redirect(RequestPath(entity.RowKey) + "?fait=efface");
    }

    private async Task<RazorComponentResult> HomeAsync(HttpRequest request, StaffMember member, FieldErrors errors, string? email, string? kind, string? received, int status)
    {
        var history = await requests.ListAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var today = LocalDates.Today(time);
        return ConsoleGate.Page<PrivacyHomePage>(
            new { Member = member, Token = forms.Issue(request, member), History = history, Today = today, Errors = errors, Email = email, Kind = kind, Received = received ?? LocalDates.ToText(today) },
            status);
    }

    private async Task<RazorComponentResult> DataPageAsync(HttpRequest request, StaffMember member, RightsRequest recorded, EmailAddress email, CancellationToken cancellationToken)
    {
        var data = await privacy.DescribeAsync(email, member, "console", cancellationToken).ConfigureAwait(false);
        return ConsoleGate.Page<PrivacyDataPage>(new { Member = member, Token = forms.Issue(request, member), Request = recorded, Data = data, Today = LocalDates.Today(time) });
    }

    private async Task<RazorComponentResult> PreviewAsync(HttpRequest request, StaffMember member, PrivacyRequestEntity entity, EmailAddress email, FieldErrors errors, string? typed, int status)
    {
        var data = await privacy.DescribeAsync(email, member, null, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return ConsoleGate.Page<ErasurePreviewPage>(
            new { Member = member, Token = forms.Issue(request, member), Request = RightsRequest.From(entity), Data = data, Errors = errors, Typed = typed },
            status);
    }

    private RazorComponentResult RequestPage(HttpRequest request, StaffMember member, RightsRequest recorded, FieldErrors errors, string? typed, string? flash, int status = StatusCodes.Status200OK) =>
        ConsoleGate.Page<PrivacyRequestPage>(
            new { Member = member, Token = forms.Issue(request, member), Request = recorded, Today = LocalDates.Today(time), Errors = errors, Typed = typed, Flash = flash },
            status);

    /// <summary>A form about a recorded request: the person, the request, and its address (checked against the request's hash).</summary>
    private async Task<ReceivedForm> ReceiveAsync(HttpRequest request, string reference)
    {
        var post = await forms.ReceiveAsync(request, StaffRole.Administration, RequestPath(reference)).ConfigureAwait(false);
        if (!post.IsAccepted)
        {
            return new ReceivedForm(null, null, null, null, null, new FieldErrors(), post.Refusal);
        }

        var entity = await requests.FindAsync(reference, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (entity is null)
        {
            return new ReceivedForm(post.Member, post.Form, null, null, null, new FieldErrors(), NotFound(post.Member));
        }

        var errors = new FieldErrors();
        var typed = post.Form.Value("adresse");
        var email = FieldRules.EmailOrNull(errors, "adresse", typed);
        if (email is not null && privacy.HashOf(email) != entity.SubjectHash)
        {
            errors.Add("adresse", "Ce n'est pas l'adresse de cette demande. Vérifiez-la dans le courrier ou le courriel de la personne.");
            email = null;
        }

        return new ReceivedForm(post.Member, post.Form, entity, email, typed, errors, null);
    }

    private static RazorComponentResult NotFound(StaffMember member) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new { Member = member, Title = "Cette demande est introuvable", Detail = "Elle a peut-être été effacée au bout de sa durée de conservation, ou l'adresse de la page est erronée.", Back = HomePath },
            StatusCodes.Status404NotFound);

    /// <summary>The JSON file given to the person: English keys (a machine format), French labels and values.</summary>
    private static object ReadableJson(ReadablePersonalData data, string reference) => new
    {
        email = data.Email,
        request = reference,
        generatedAt = data.GeneratedAt,
        sections = data.Sections.Where(s => s.Section.Records.Count > 0).Select(s => new
        {
            feature = s.Key,
            title = s.Section.Title,
            purpose = s.Section.Purpose,
            records = s.Section.Records.Select(r => new
            {
                title = r.Title,
                fields = r.Fields.Select(f => new { label = f.Label, value = f.Value }),
            }),
        }),
    };

    private sealed record ReceivedForm(StaffMember? Member, ConsoleForm? Form, PrivacyRequestEntity? Request, EmailAddress? Email, string? Typed, FieldErrors Errors, ConsoleResult? Refusal);
}

/// <summary>The home page's line for the requests not answered yet: the one-month deadline runs.</summary>
public sealed class PrivacyAttention(PrivacyRequests requests) : IConsoleAttention
{
    public int Order => 30;

    public async Task<IReadOnlyList<AttentionItem>> ReadAsync(CancellationToken cancellationToken)
    {
        var open = (await requests.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.IsOpen).ToList();
        var text = open.Count <= 1
            ? "demande sur des données personnelles en cours"
            : "demandes sur des données personnelles en cours";
        DateOnly? first = open.Count == 0 ? null : open.Min(r => r.Deadline);
        return [new AttentionItem(first is null ? text : $"{text} (réponse au plus tard le {ConsoleText.Date(first.Value)})", open.Count, PrivacyConsole.HomePath, StaffRole.Administration)];
    }
}
