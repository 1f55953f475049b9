using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>What came of reading a body: the body, or the reason it was refused.</summary>
public sealed record BodyRead(FormBody? Body, FormRejection? Rejection);

/// <summary>
/// Reads JSON, url-encoded and (where files are allowed) multipart bodies within their caps. Nothing is
/// read past a cap: an announced or actual excess answers 413 before anything is kept.
/// </summary>
public sealed class FormBodyReader(IOptions<FormsOptions> options)
{
    private readonly FormsOptions _options = options.Value;

    /// <summary>The kind of body a request announces, or null when it is none the forms take.</summary>
    public static BodyKind? KindOf(HttpRequest request, bool allowFiles)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return null;
        }

        var type = mediaType.MediaType.Value ?? "";
        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Json;
        }

        if (type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.UrlEncoded;
        }

        return allowFiles && type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ? BodyKind.Multipart : null;
    }

    public async Task<BodyRead> ReadAsync(HttpRequest request, BodyKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cap = kind == BodyKind.Multipart ? _options.MaxMultipartBytes : _options.MaxBodyBytes;
        if (request.ContentLength > cap)
        {
            return new BodyRead(null, TooLarge(kind));
        }

        // Our own cap applies; the server's default (30 MB) would cut a multipart post short with an error page.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = cap + 1;
        }

        var body = new LimitedStream(request.Body, cap);
        try
        {
            return kind switch
            {
                BodyKind.Json => await ReadJsonAsync(body, cancellationToken).ConfigureAwait(false),
                BodyKind.UrlEncoded => await ReadUrlEncodedAsync(body, cancellationToken).ConfigureAwait(false),
                _ => await ReadMultipartAsync(request, body, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (BodyTooLargeException)
        {
            return new BodyRead(null, TooLarge(kind));
        }
        catch (InvalidDataException)
        {
            // A malformed multipart body or url-encoded form (the readers' own limits included).
            return new BodyRead(null, new FormRejection(StatusCodes.Status400BadRequest, "La demande est illisible.", "Le formulaire envoyé est mal formé."));
        }
    }

    /// <summary>
    /// Binds a JSON object to a request record, refusing properties the record does not have, and
    /// turning type mismatches into field errors.
    /// </summary>
    public static T? BindJson<T>(JsonElement json, FieldErrors errors)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(errors);
        var known = StrictJson.Options.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in json.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                errors.Add(property.Name.Length <= 64 ? property.Name : property.Name[..64], "Ce champ n'est pas attendu.");
            }
        }

        if (errors.Any)
        {
            return null;
        }

        try
        {
            return json.Deserialize<T>(StrictJson.Options);
        }
        catch (JsonException ex)
        {
            errors.Add(FieldOf(ex.Path), "Cette valeur n'a pas le type attendu (texte, booléen ou liste de textes selon le champ).");
            return null;
        }
    }

    private static string FieldOf(string? path)
    {
        var field = (path ?? "$").TrimStart('$', '.');
        var bracket = field.IndexOfAny(['[', '.']);
        field = bracket > 0 ? field[..bracket] : field;
        return field.Length == 0 ? "corps" : field;
    }

    private FormRejection TooLarge(BodyKind kind) => kind == BodyKind.Multipart
        ? FormRejection.TooLarge(string.Create(CultureInfo.InvariantCulture, $"L'envoi dépasse la taille maximale ({_options.MaxFiles} fichiers de {Megabytes(_options.MaxFileBytes)} au plus)."))
        : FormRejection.TooLarge(string.Create(CultureInfo.InvariantCulture, $"Le formulaire dépasse la taille maximale de {_options.MaxBodyBytes / 1024} Ko."));

    internal static string Megabytes(long bytes) =>
        string.Create(CultureInfo.GetCultureInfo("fr-FR"), $"{bytes / 1048576.0:0.#} Mo");

    private static async Task<BodyRead> ReadJsonAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 8 }, cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new BodyRead(null, FormRejection.MalformedJson());
            }

            return new BodyRead(new FormBody { Kind = BodyKind.Json, Json = document.RootElement.Clone() }, null);
        }
        catch (JsonException)
        {
            return new BodyRead(null, FormRejection.MalformedJson());
        }
    }

    private async Task<BodyRead> ReadUrlEncodedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new FormReader(body, Encoding.UTF8)
        {
            ValueCountLimit = 200,
            KeyLengthLimit = 200,
            ValueLengthLimit = _options.MaxBodyBytes,
        };
        var fields = await reader.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        return new BodyRead(new FormBody { Kind = BodyKind.UrlEncoded, Fields = fields }, null);
    }

    private async Task<BodyRead> ReadMultipartAsync(HttpRequest request, Stream body, CancellationToken cancellationToken)
    {
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return new BodyRead(null, new FormRejection(StatusCodes.Status400BadRequest, "La demande est illisible.", "Le formulaire envoyé est mal formé."));
        }

        var reader = new MultipartReader(boundary, body) { HeadersLengthLimit = 16_384, HeadersCountLimit = 16 };
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var files = new List<UploadedFile>();
        var overLimit = 0;
        var fieldBytes = 0L;
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFormDisposition() && !disposition.IsFileDisposition())
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                var content = await ReadCappedAsync(section.Body, _options.MaxFileBytes, cancellationToken).ConfigureAwait(false);
                if (content is null)
                {
                    var label = FileLabel(fileName, files.Count + overLimit + 1);
                    return new BodyRead(null, FormRejection.TooLarge($"Le fichier {label} dépasse la taille maximale de {Megabytes(_options.MaxFileBytes)}.", name));
                }

                // A file input left empty still posts a part, with no name and no content.
                if (content.Length == 0 && string.IsNullOrEmpty(fileName))
                {
                    continue;
                }

                if (files.Count >= _options.MaxFiles)
                {
                    overLimit++;
                    continue;
                }

                files.Add(new UploadedFile(name, fileName, content));
            }
            else
            {
                var value = await ReadCappedAsync(section.Body, _options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
                fieldBytes += value?.Length ?? _options.MaxBodyBytes;
                if (value is null || fieldBytes > _options.MaxBodyBytes)
                {
                    return new BodyRead(null, FormRejection.TooLarge(string.Create(CultureInfo.InvariantCulture, $"Les champs du formulaire dépassent la taille maximale de {_options.MaxBodyBytes / 1024} Ko.")));
                }

                if (!fields.TryGetValue(name, out var list))
                {
                    fields[name] = list = [];
                }

                list.Add(Encoding.UTF8.GetString(value));
            }
        }

        return new BodyRead(
            new FormBody
            {
                Kind = BodyKind.Multipart,
                Fields = fields.ToDictionary(f => f.Key, f => new StringValues([.. f.Value]), StringComparer.Ordinal),
                Files = files,
                FilesOverLimit = overLimit,
            },
            null);
    }

    internal static string FileLabel(string? fileName, int index)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        var clean = new string([.. name.Where(c => !char.IsControl(c))]);
        return clean.Length is > 0 and <= 100 ? $"« {clean} »" : $"n° {index}";
    }

    /// <summary>The section's bytes, or null as soon as they go past the cap.</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream section, int cap, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await section.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
