using System.Text.Json;

namespace ResoSolidaire.MailSink;

/// <summary>
/// Reads what a person or a test wants to see out of a send body. Tolerant of wrong types: refused bodies are
/// parsed too, and whatever does not have the expected shape is left out.
/// </summary>
internal static class MailParser
{
    public static ReceivedMail Parse(string id, DateTimeOffset receivedAt, JsonElement body, string rawJson, IReadOnlyList<SendGridError> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Unparsed(id, receivedAt, rawJson, errors);
        }

        var contents = Array(body, "content").Where(c => c.ValueKind == JsonValueKind.Object).ToList();
        return new ReceivedMail
        {
            Id = id,
            ReceivedAt = receivedAt,
            IsValid = errors.Count == 0,
            Errors = errors,
            From = AddressOf(body, "from") ?? "",
            FromName = body.TryGetProperty("from", out var from) ? String(from, "name") : null,
            ReplyTo = AddressOf(body, "reply_to"),
            MessageSubject = String(body, "subject"),
            Personalizations = [.. Array(body, "personalizations").Where(p => p.ValueKind == JsonValueKind.Object).Select(ParsePersonalization)],
            Text = ContentOf(contents, "text/plain"),
            Html = ContentOf(contents, "text/html"),
            Headers = Map(body, "headers"),
            CustomArgs = Map(body, "custom_args"),
            Categories = [.. Array(body, "categories").Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!)],
            AttachmentNames = [.. Array(body, "attachments").Select(a => a.ValueKind == JsonValueKind.Object ? String(a, "filename") : null).OfType<string>()],
            TemplateId = String(body, "template_id"),
            SendAt = UnixTime(body, "send_at"),
            RawJson = rawJson,
        };
    }

    public static ReceivedMail Unparsed(string id, DateTimeOffset receivedAt, string rawBody, IReadOnlyList<SendGridError> errors) => new()
    {
        Id = id,
        ReceivedAt = receivedAt,
        IsValid = false,
        Errors = errors,
        RawJson = rawBody,
    };

    private static ReceivedPersonalization ParsePersonalization(JsonElement personalization) => new()
    {
        To = Addresses(personalization, "to"),
        Cc = Addresses(personalization, "cc"),
        Bcc = Addresses(personalization, "bcc"),
        From = AddressOf(personalization, "from"),
        Subject = String(personalization, "subject"),
        Headers = Map(personalization, "headers"),
        CustomArgs = Map(personalization, "custom_args"),
        Substitutions = Map(personalization, "substitutions"),
        DynamicTemplateData = personalization.TryGetProperty("dynamic_template_data", out var data) ? data.GetRawText() : null,
        SendAt = UnixTime(personalization, "send_at"),
    };

    private static string? ContentOf(List<JsonElement> contents, string type) =>
        contents.Where(c => string.Equals(String(c, "type"), type, StringComparison.OrdinalIgnoreCase))
            .Select(c => String(c, "value"))
            .FirstOrDefault();

    private static string[] Addresses(JsonElement owner, string name) =>
        [.. Array(owner, name).Select(a => a.ValueKind == JsonValueKind.Object ? String(a, "email") : null).OfType<string>()];

    private static string? AddressOf(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var address) && address.ValueKind == JsonValueKind.Object ? String(address, "email") : null;

    private static string? String(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement.ArrayEnumerator Array(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : _emptyArray.EnumerateArray();

    private static readonly JsonElement _emptyArray = JsonDocument.Parse("[]").RootElement;

    private static IReadOnlyDictionary<string, string> Map(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return ReceivedMail.Empty;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return map;
    }

    private static DateTimeOffset? UnixTime(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is >= 0 and <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
