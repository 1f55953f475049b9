using Microsoft.Extensions.Primitives;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>How a form was posted: by a script (JSON) or by a browser's plain form post.</summary>
public enum BodyKind
{
    Json,
    UrlEncoded,
    Multipart,
}

/// <summary>A file part of a multipart post, held in memory (at most a few of them, each size-capped).</summary>
public sealed record UploadedFile(string FieldName, string? FileName, byte[] Content);

/// <summary>A request body read within its caps: a JSON object, or form fields (and files).</summary>
public sealed class FormBody
{
    public required BodyKind Kind { get; init; }

    public JsonElement Json { get; init; }

    public IReadOnlyDictionary<string, StringValues> Fields { get; init; } = new Dictionary<string, StringValues>();

    public IReadOnlyList<UploadedFile> Files { get; init; } = [];

    /// <summary>More files were posted than allowed (the extra ones were not read).</summary>
    public int FilesOverLimit { get; init; }

    public string? Field(string name) => Fields.TryGetValue(name, out var value) ? value.ToString() : null;

    public IReadOnlyList<string> Values(string name) =>
        Fields.TryGetValue(name, out var value) ? [.. value.Where(v => v is not null).Select(v => v!)] : [];

    /// <summary>HTML checkboxes post "on" (or the value attribute) when ticked and nothing otherwise.</summary>
    public bool Checked(string name) =>
        Fields.TryGetValue(name, out var value)
        && value.Any(v => v is not null && (v.Equals("on", StringComparison.OrdinalIgnoreCase) || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("oui", StringComparison.OrdinalIgnoreCase) || v == "1"));
}
