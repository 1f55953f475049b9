using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Newsletter.Console;

/// <summary>A structure put forward, as the editor shows it: its directory id, what the directory says of it, staff's own text.</summary>
public sealed record SpotlightField(string ActorId, string Name, string Description, string? Text);

/// <summary>The editor's fields as staff last wrote them (saved, or sent back with errors, or being previewed).</summary>
public sealed record EditionFields(
    string Subject,
    string Intro,
    string SendDate,
    string SendTime,
    IReadOnlyList<NewsItem> News,
    IReadOnlyList<SpotlightField> Spotlight,
    IReadOnlySet<string> ExcludedEvents,
    string Version)
{
    public static EditionFields Of(EditionEntity edition, IReadOnlyDictionary<string, Spotlight> directory)
    {
        ArgumentNullException.ThrowIfNull(edition);
        ArgumentNullException.ThrowIfNull(directory);
        return new(
            edition.Subject,
            edition.IntroMarkdown,
            edition.SendDate,
            edition.SendTime,
            EditionService.NewsOf(edition),
            [.. EditionService.SpotlightOf(edition).Select(r => Field(r.ActorId!, r.Text, directory))],
            EditionService.ExcludedOf(edition).ToHashSet(StringComparer.Ordinal),
            edition.ETag.ToString());
    }

    public static SpotlightField Field(string actorId, string? text, IReadOnlyDictionary<string, Spotlight> directory) =>
        directory.TryGetValue(actorId, out var found)
            ? new SpotlightField(actorId, found.Name, found.Commune is null ? found.Kind : $"{found.Kind}, {found.Commune}", text)
            : new SpotlightField(actorId, "Structure absente de l'annuaire", "Elle sera laissée de côté à l'envoi.", text);
}

/// <summary>
/// The editor posted: its fields (news, structures and agenda events are numbered fields and checkboxes), the button
/// pressed, and the checks only a form needs (a news item's title, its link), keyed by the field's id.
/// </summary>
public sealed class EditionForm
{
    /// <summary>Field names of the editor (also the ids the error summary links to).</summary>
    public const string Subject = "subject";
    public const string Intro = "intro";
    public const string SendDate = "sendDate";
    public const string SendTime = "sendTime";
    public const string Search = "recherche";
    public const string Add = "ajouter";
    public const string Version = "version";
    public const string EventShown = "agenda-propose";
    public const string EventIncluded = "agenda-inclus";

    private const int MaxNews = 20;
    private const int MaxSpotlight = 10;

    private EditionForm(EditionFields fields, EditionInput input, string? search, string? add, string? action, FieldErrors errors)
    {
        Fields = fields;
        Input = input;
        SearchText = search;
        AddActor = add;
        Action = action;
        Errors = errors;
    }

    public EditionFields Fields { get; }

    /// <summary>What the edition service checks and saves.</summary>
    public EditionInput Input { get; }

    public string? SearchText { get; }

    /// <summary>The directory id of a structure to put forward (the button « Mettre en avant »).</summary>
    public string? AddActor { get; }

    /// <summary>The button pressed: « chercher » for a directory search; otherwise the edition is saved.</summary>
    public string? Action { get; }

    public FieldErrors Errors { get; }

    public static string NewsField(int index, string part) => string.Create(CultureInfo.InvariantCulture, $"nouvelle-{index}-{part}");

    public static string SpotlightField(int index, string part) => string.Create(CultureInfo.InvariantCulture, $"projecteur-{index}-{part}");

    /// <summary>Reads the editor; <paramref name="saved"/> is the edition as stored (its left-out events outside the weeks shown are kept).</summary>
    public static EditionForm Read(ConsoleForm form, EditionEntity saved, IReadOnlyDictionary<string, Spotlight> directory)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(saved);
        var errors = new FieldErrors();
        var news = new List<NewsItem>();
        for (var i = 0; i <= MaxNews; i++)
        {
            var title = form.Value(NewsField(i, "titre"));
            var text = form.Text(NewsField(i, "texte"))?.Trim();
            var link = form.Value(NewsField(i, "lien"));
            if (form.Value(NewsField(i, "retirer")) is not null || (title is null && string.IsNullOrEmpty(text) && link is null))
            {
                continue;
            }

            if (title is null)
            {
                errors.Add(NewsField(i, "titre"), "Donnez un titre à cette nouvelle, ou cochez « Retirer cette nouvelle ».");
            }

            if (link is not null && !EditionService.IsWebAddress(link))
            {
                errors.Add(NewsField(i, "lien"), "Le lien doit être une adresse web complète, commençant par https://.");
            }

            news.Add(new NewsItem(title ?? "", text ?? "", link));
        }

        var spotlight = new List<SpotlightField>();
        for (var i = 0; i < MaxSpotlight; i++)
        {
            if (form.Value(SpotlightField(i, "id")) is { } id && form.Value(SpotlightField(i, "retirer")) is null && spotlight.All(s => s.ActorId != id))
            {
                spotlight.Add(EditionFields.Field(id, form.Text(SpotlightField(i, "texte"))?.Trim() is { Length: > 0 } t ? t : null, directory));
            }
        }

        var add = form.Value(Add);
        if (add is not null && spotlight.All(s => s.ActorId != add))
        {
            spotlight.Add(EditionFields.Field(add, null, directory));
        }

        // An event shown unticked is left out; one left out earlier and not shown now (another send date) stays so.
        var shown = form.Values(EventShown).ToHashSet(StringComparer.Ordinal);
        var included = form.Values(EventIncluded).ToHashSet(StringComparer.Ordinal);
        var excluded = EditionService.ExcludedOf(saved).Where(id => !shown.Contains(id)).Concat(shown.Where(id => !included.Contains(id))).ToHashSet(StringComparer.Ordinal);

        var fields = new EditionFields(
            form.Value(Subject) ?? "",
            form.Text(Intro)?.Trim() ?? "",
            form.Value(SendDate) ?? "",
            form.Value(SendTime) ?? "",
            news,
            spotlight,
            excluded,
            form.Value(Version) ?? "");
        var input = new EditionInput(
            fields.Subject,
            fields.Intro,
            news,
            [.. spotlight.Select(s => new SpotlightRef(s.ActorId, s.Text))],
            fields.SendDate.Length == 0 ? null : fields.SendDate,
            fields.SendTime.Length == 0 ? null : fields.SendTime,
            null,
            [.. excluded]);
        return new EditionForm(fields, input, form.Value(Search), add, form.Value("action"), errors);
    }
}
