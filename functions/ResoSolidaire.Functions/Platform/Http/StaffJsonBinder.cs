using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace ResoSolidaire.Functions.Platform.Http;

/// <summary>What came of binding a staff JSON body: the value, or the French problem to answer with.</summary>
public sealed record JsonBody<T>(T? Value, ProblemHttpResult? Problem)
    where T : class
{
    [MemberNotNullWhen(true, nameof(Problem))]
    [MemberNotNullWhen(false, nameof(Value))]
    public bool IsRefused => Problem is not null;
}

/// <summary>
/// The one way staff endpoints read a JSON body: the content type is checked (415), the body is read within
/// its cap (413), parsed, and bound strictly to the request record. Every failure is a French problem document
/// whose <c>errors</c> are keyed by the JSON path of the field at fault (<c>news[0].body</c>), so that a
/// misspelt or mistyped property is named, never dropped; System.Text.Json's own (English) messages never
/// reach the caller.
/// </summary>
public static class StaffJsonBinder
{
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The key of errors about the body as a whole (empty, malformed, not an object).</summary>
    public const string BodyField = "corps";

    /// <summary>Enough to correct a body; a hostile one with thousands of unknown keys gets no longer answer.</summary>
    private const int MaxErrors = 20;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static async Task<JsonBody<T>> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);

        // A body sent as anything but JSON (text/plain, a form, no type at all) is refused, even if it parses:
        // a staff tool sending the wrong type is broken, and an erasure must not run on a guess.
        if (!request.HasJsonContentType())
        {
            return Refused<T>(Problems.Problem(
                StatusCodes.Status415UnsupportedMediaType,
                "Le corps de la requête doit être envoyé en JSON.",
                "Envoyez-le avec l'en-tête Content-Type: application/json."));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return Refused<T>(TooLarge());
        }

        var bytes = await ReadCappedAsync(request.Body, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return bytes is null ? Refused<T>(TooLarge()) : Bind<T>(bytes.Value.Span);
    }

    /// <summary>Binds a JSON document to <typeparamref name="T"/>, or says in French, field by field, why not.</summary>
    public static JsonBody<T> Bind<T>(ReadOnlySpan<byte> utf8)
        where T : class
    {
        var errors = new Errors();
        if (utf8.IsEmpty)
        {
            errors.Add("", "Le corps de la requête est vide : un objet JSON est attendu.");
            return Refused<T>(errors.ToProblem());
        }

        if (!Utf8.IsValid(utf8))
        {
            errors.Add("", "Le corps n'est pas du texte UTF-8 valide : envoyez le JSON encodé en UTF-8.");
            return Refused<T>(errors.ToProblem());
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add("", Malformed(ex));
            return Refused<T>(errors.ToProblem());
        }

        using (document)
        {
            var root = StrictJson.Options.GetTypeInfo(typeof(T));
            Check(document.RootElement, root, "", errors);
            if (errors.Any)
            {
                return Refused<T>(errors.ToProblem());
            }

            try
            {
                var value = document.RootElement.Deserialize<T>(StrictJson.Options);
                if (value is not null)
                {
                    return new JsonBody<T>(value, null);
                }

                errors.Add("", Expected(root));
            }
            catch (JsonException ex)
            {
                // What the walk lets through and the serializer still refuses (a number written as text that is none,
                // a null where a value is required): named by its path, worded from the type expected there.
                var path = PathOf(ex.Path);
                errors.Add(path, TypeAt(root, path) is { } expected ? Expected(expected) : "Cette valeur n'a pas le type attendu.");
            }

            return Refused<T>(errors.ToProblem());
        }
    }

    private static JsonBody<T> Refused<T>(ProblemHttpResult problem)
        where T : class => new(null, problem);

    /// <summary>The body's bytes, or null as soon as they go past the cap (the rest is not read).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16_384];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static ProblemHttpResult TooLarge() => Problems.Problem(
        StatusCodes.Status413PayloadTooLarge,
        "La requête est trop volumineuse.",
        string.Create(CultureInfo.InvariantCulture, $"Le corps JSON ne doit pas dépasser {MaxBodyBytes / 1024} Ko."));

    /// <summary>
    /// Walks the document along the request type, collecting every unknown property and every value of the wrong
    /// kind, so that one answer lists them all.
    /// </summary>
    private static void Check(JsonElement element, JsonTypeInfo info, string path, Errors errors)
    {
        if (errors.Full)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            if (info.Type.IsValueType && Nullable.GetUnderlyingType(info.Type) is null)
            {
                errors.Add(path, Expected(info));
            }

            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind != JsonValueKind.Object:
            case JsonTypeInfoKind.Dictionary when element.ValueKind != JsonValueKind.Object:
            case JsonTypeInfoKind.Enumerable when element.ValueKind != JsonValueKind.Array:
                errors.Add(path, Expected(info));
                return;
            case JsonTypeInfoKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var child = Child(path, property.Name);
                    if (Find(info, property.Name) is { } known)
                    {
                        Check(property.Value, StrictJson.Options.GetTypeInfo(known.PropertyType), child, errors);
                    }
                    else
                    {
                        errors.Add(child, "Propriété inconnue. Propriétés attendues ici : " + string.Join(", ", info.Properties.Select(p => p.Name)) + ".");
                    }
                }

                return;
            case JsonTypeInfoKind.Dictionary:
                foreach (var property in element.EnumerateObject())
                {
                    Check(property.Value, StrictJson.Options.GetTypeInfo(info.ElementType!), Child(path, property.Name), errors);
                }

                return;
            case JsonTypeInfoKind.Enumerable:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(item, StrictJson.Options.GetTypeInfo(info.ElementType!), string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), errors);
                }

                return;
            default:
                if (!Accepts(Nullable.GetUnderlyingType(info.Type) ?? info.Type, element.ValueKind))
                {
                    errors.Add(path, Expected(info));
                }

                return;
        }
    }

    private static JsonPropertyInfo? Find(JsonTypeInfo info, string name)
    {
        var comparison = StrictJson.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison));
    }

    /// <summary>Whether a JSON value of this kind can stand for a scalar of this type (the serializer checks the rest).</summary>
    private static bool Accepts(Type type, JsonValueKind kind)
    {
        if (type == typeof(string) || type == typeof(char) || type == typeof(Guid) || type == typeof(Uri) || IsDate(type))
        {
            return kind == JsonValueKind.String;
        }

        if (type == typeof(bool))
        {
            return kind is JsonValueKind.True or JsonValueKind.False;
        }

        if (IsNumber(type) || type.IsEnum)
        {
            // Web defaults read numbers written as text ("12"); whether the text is one, the serializer says.
            return kind is JsonValueKind.Number or JsonValueKind.String;
        }

        return true;
    }

    private static bool IsDate(Type type) =>
        type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeOnly) || type == typeof(TimeSpan);

    private static bool IsNumber(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(uint)
        || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte) || type == typeof(decimal) || type == typeof(double) || type == typeof(float);

    /// <summary>What a value must be, in French, from the type the request record declares.</summary>
    private static string Expected(JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "Doit être une liste (tableau JSON).",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "Doit être un objet JSON.",
            _ when type == typeof(string) || type == typeof(char) => "Doit être un texte.",
            _ when type == typeof(bool) => "Doit être true ou false.",
            _ when IsNumber(type) => "Doit être un nombre.",
            _ when type == typeof(DateOnly) => "Doit être une date au format AAAA-MM-JJ.",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "Doit être une date et heure au format ISO 8601 (AAAA-MM-JJTHH:MM:SS).",
            _ when type == typeof(TimeOnly) || type == typeof(TimeSpan) => "Doit être une heure au format HH:MM.",
            _ when type == typeof(Guid) => "Doit être un identifiant (GUID).",
            _ when type == typeof(Uri) => "Doit être une adresse web.",
            _ when type.IsEnum => "Doit être l'une des valeurs : " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName)) + ".",
            _ => "Cette valeur n'a pas le type attendu.",
        };
    }

    private static string Malformed(JsonException ex)
    {
        var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $" (ligne {line + 1}, position {position + 1})")
            : "";
        return $"Le corps n'est pas un document JSON valide{where} : vérifiez les guillemets, virgules, accolades et crochets, et l'encodage UTF-8.";
    }

    /// <summary>The type a path of the document designates in the request type, if it designates one.</summary>
    private static JsonTypeInfo? TypeAt(JsonTypeInfo root, string path)
    {
        var info = root;
        foreach (var step in Steps(path))
        {
            if (step.Length > 0 && step[0] == '[')
            {
                if (info.Kind is not JsonTypeInfoKind.Enumerable || info.ElementType is null)
                {
                    return null;
                }

                info = StrictJson.Options.GetTypeInfo(info.ElementType);
            }
            else if (info.Kind == JsonTypeInfoKind.Object && Find(info, step) is { } property)
            {
                info = StrictJson.Options.GetTypeInfo(property.PropertyType);
            }
            else
            {
                return null;
            }
        }

        return info;
    }

    private static IEnumerable<string> Steps(string path)
    {
        var start = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] is '.' or '[')
            {
                if (i > start)
                {
                    yield return path[start..i];
                }

                if (i < path.Length && path[i] == '[')
                {
                    var end = path.IndexOf(']', i);
                    end = end < 0 ? path.Length - 1 : end;
                    yield return path[i..(end + 1)];
                    i = end;
                }

                start = i + 1;
            }
        }
    }

    /// <summary>The serializer's path (<c>$.news[0].text</c>) written as the errors are keyed (<c>news[0].text</c>).</summary>
    private static string PathOf(string? path)
    {
        var trimmed = (path ?? "").TrimStart('$');
        return trimmed.StartsWith('.') ? trimmed[1..] : trimmed;
    }

    private static string Child(string path, string name) => path.Length == 0 ? Name(name) : $"{path}.{Name(name)}";

    /// <summary>A posted name as it is echoed: at most 64 characters, control and invisible characters shown as '?'.</summary>
    private static string Name(string name)
    {
        var shown = new string([.. name.Take(64).Select(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : c)]);
        return name.Length > 64 ? shown + "…" : shown;
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);
        private int _count;

        public bool Any => _count > 0;

        public bool Full => _count >= MaxErrors;

        public void Add(string path, string message)
        {
            if (Full)
            {
                return;
            }

            var field = path.Length == 0 ? BodyField : path;
            if (!_byField.TryGetValue(field, out var messages))
            {
                _byField[field] = messages = [];
            }

            messages.Add(message);
            _count++;
        }

        public ProblemHttpResult ToProblem() => Problems.InvalidBody(_byField.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }
}
