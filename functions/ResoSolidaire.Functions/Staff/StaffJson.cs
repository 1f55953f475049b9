using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace ResoSolidaire.Functions.Staff;

/// <summary>The outcome of reading a JSON body: the value, or the French errors by field.</summary>
public sealed record BodyRead<T>(T? Value, Dictionary<string, string[]> Errors)
    where T : class
{
    public bool IsValid => Value is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the JSON bodies of staff requests strictly: unknown properties are refused (a misspelt
/// field must not be silently dropped), and every failure is named in French by its field.
/// </summary>
public static class StaffJson
{
    public const long MaxBodyBytes = 256 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    public static async Task<BodyRead<T>> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.ContentLength is > MaxBodyBytes)
        {
            errors["body"] = ["La requête est trop volumineuse."];
            return new BodyRead<T>(null, errors);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxBodyBytes)
        {
            errors["body"] = ["La requête est trop volumineuse."];
            return new BodyRead<T>(null, errors);
        }

        if (buffer.Length == 0)
        {
            errors["body"] = ["Le corps de la requête est vide : un document JSON est attendu."];
            return new BodyRead<T>(null, errors);
        }

        // A body sent as anything but JSON (text/plain, a form, no type at all) is refused, even if it parses:
        // a staff tool sending the wrong type is broken, and an erasure must not run on a guess.
        if (!request.HasJsonContentType())
        {
            errors["body"] = ["Le corps doit être envoyé en JSON (Content-Type: application/json)."];
            return new BodyRead<T>(null, errors);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options);
            if (value is null)
            {
                errors["body"] = ["Un objet JSON est attendu."];
            }

            return new BodyRead<T>(value, errors);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            errors[field] = [ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "Ce champ n'est pas reconnu."
                : "Ce champ n'a pas le bon format (texte, nombre, booléen ou liste attendus selon le champ)."];
            return new BodyRead<T>(null, errors);
        }
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }
}
