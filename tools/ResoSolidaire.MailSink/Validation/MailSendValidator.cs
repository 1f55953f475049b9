using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ResoSolidaire.MailSink.Validation;

/// <summary>
/// Checks a <c>POST /v3/mail/send</c> body against SendGrid's schema, then against the documented limits
/// the schema cannot express. One <see cref="SendGridError"/> per violation, <c>field</c> as SendGrid spells it
/// (<c>personalizations.0.to.0.email</c>).
/// </summary>
internal sealed class MailSendValidator(SendGridSchema schema, TimeProvider timeProvider)
{
    public const int MaxPersonalizations = 1000;
    public const int MaxRecipients = 1000;
    public const int MaxCustomArgsBytes = 10_000;
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromHours(72);

    private static readonly EvaluationOptions _flagOptions = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly EvaluationOptions _listOptions = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private static readonly HashSet<string> _reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type", "content-transfer-encoding",
        "to", "from", "subject", "reply-to", "cc", "bcc",
    };

    public IReadOnlyList<SendGridError> Validate(JsonElement body)
    {
        var errors = new List<SendGridError>();
        if (!schema.Schema.Evaluate(body, _flagOptions).IsValid)
        {
            // Cheap flag output first; the detailed list output is paid only by invalid requests.
            AddSchemaErrors(body, schema.Schema.Evaluate(body, _listOptions), errors);
        }

        if (body.ValueKind == JsonValueKind.Object)
        {
            AddLimitErrors(body, errors);
        }

        return errors;
    }

    private void AddSchemaErrors(JsonElement body, EvaluationResults results, List<SendGridError> errors)
    {
        var seen = new HashSet<(string?, string)>();
        foreach (var result in Flatten(results))
        {
            if (result.Errors is not { Count: > 0 })
            {
                continue;
            }

            var pointer = result.InstanceLocation.ToString();
            foreach (var (keyword, message) in result.Errors)
            {
                if (keyword == "required" && TryMissingProperties(body, pointer, result.SchemaLocation, out var missing))
                {
                    foreach (var name in missing)
                    {
                        var field = Join(ToField(pointer), name);
                        if (seen.Add((field, keyword)))
                        {
                            errors.Add(new SendGridError($"The {name} field is required.", field));
                        }
                    }

                    continue;
                }

                var location = ToField(pointer);
                if (seen.Add((location, keyword)))
                {
                    errors.Add(new SendGridError(message, location));
                }
            }
        }
    }

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults results)
    {
        yield return results;
        foreach (var detail in results.Details ?? [])
        {
            foreach (var nested in Flatten(detail))
            {
                yield return nested;
            }
        }
    }

    /// <summary>Names the missing properties themselves: the library reports them only inside a sentence.</summary>
    private bool TryMissingProperties(JsonElement body, string instancePointer, Uri schemaLocation, out List<string> missing)
    {
        missing = [];
        var fragment = Uri.UnescapeDataString(schemaLocation.Fragment.TrimStart('#'));
        if (Navigate(schema.Document, fragment)?["required"] is not JsonArray required
            || !TryNavigate(body, instancePointer, out var instance)
            || instance.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var name in required.Select(n => n?.GetValue<string>()).OfType<string>())
        {
            if (!instance.TryGetProperty(name, out _))
            {
                missing.Add(name);
            }
        }

        return missing.Count > 0;
    }

    private void AddLimitErrors(JsonElement body, List<SendGridError> errors)
    {
        var now = timeProvider.GetUtcNow();
        var topCustomArgsBytes = CustomArgsBytes(body);
        if (topCustomArgsBytes >= MaxCustomArgsBytes)
        {
            errors.Add(new SendGridError($"The custom_args must be less than {MaxCustomArgsBytes} bytes in total.", "custom_args"));
        }

        CheckSendAt(body, "send_at", now, errors);
        CheckHeaders(body, "headers", errors);

        if (body.TryGetProperty("reply_to", out _) && body.TryGetProperty("reply_to_list", out _))
        {
            errors.Add(new SendGridError("The reply_to and reply_to_list fields cannot be used together.", "reply_to_list"));
        }

        var hasTemplate = body.TryGetProperty("template_id", out var template) && template.ValueKind == JsonValueKind.String;
        CheckContent(body, hasTemplate, errors);

        if (!body.TryGetProperty("personalizations", out var personalizations) || personalizations.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        if (personalizations.GetArrayLength() == 0)
        {
            errors.Add(new SendGridError("The personalizations field must contain at least one personalization.", "personalizations"));
            return;
        }

        var hasSubject = body.TryGetProperty("subject", out var subject) && subject.ValueKind == JsonValueKind.String;
        var recipients = 0;
        var index = 0;
        foreach (var personalization in personalizations.EnumerateArray())
        {
            var prefix = $"personalizations.{index}";
            if (personalization.ValueKind == JsonValueKind.Object)
            {
                var to = Count(personalization, "to");
                if (to == 0 && personalization.TryGetProperty("to", out _))
                {
                    errors.Add(new SendGridError("The to array must have at least one email object.", prefix + ".to"));
                }

                recipients += to + Count(personalization, "cc") + Count(personalization, "bcc");
                if (topCustomArgsBytes < MaxCustomArgsBytes && topCustomArgsBytes + CustomArgsBytes(personalization) >= MaxCustomArgsBytes)
                {
                    errors.Add(new SendGridError($"The custom_args must be less than {MaxCustomArgsBytes} bytes in total.", prefix + ".custom_args"));
                }

                if (!hasSubject && !hasTemplate && !(personalization.TryGetProperty("subject", out var own) && own.ValueKind == JsonValueKind.String))
                {
                    errors.Add(new SendGridError("The subject is required, at message level or in every personalization.", prefix + ".subject"));
                }

                CheckSendAt(personalization, prefix + ".send_at", now, errors);
                CheckHeaders(personalization, prefix + ".headers", errors);
            }

            index++;
        }

        if (recipients > MaxRecipients)
        {
            errors.Add(new SendGridError($"The total number of recipients (to, cc and bcc) must be at most {MaxRecipients}; found {recipients}.", "personalizations"));
        }
    }

    private static void CheckContent(JsonElement body, bool hasTemplate, List<SendGridError> errors)
    {
        if (!body.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            if (!hasTemplate)
            {
                errors.Add(new SendGridError("Unless a valid template_id is provided, the content parameter is required.", "content"));
            }

            return;
        }

        if (content.GetArrayLength() == 0 && !hasTemplate)
        {
            errors.Add(new SendGridError("The content array must have at least one content object.", "content"));
        }

        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            if (index > 0 && part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String && string.Equals(type.GetString(), "text/plain", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new SendGridError("If present, text/plain content must be first, followed by text/html, followed by any other content.", $"content.{index}.type"));
            }

            index++;
        }
    }

    private static void CheckSendAt(JsonElement owner, string field, DateTimeOffset now, List<SendGridError> errors)
    {
        if (owner.TryGetProperty("send_at", out var sendAt) && sendAt.ValueKind == JsonValueKind.Number
            && sendAt.TryGetInt64(out var seconds) && seconds > (now + MaxScheduleAhead).ToUnixTimeSeconds())
        {
            errors.Add(new SendGridError("The send_at value cannot be scheduled more than 72 hours in advance.", field));
        }
    }

    private static void CheckHeaders(JsonElement owner, string field, List<SendGridError> errors)
    {
        if (!owner.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var header in headers.EnumerateObject())
        {
            if (_reservedHeaders.Contains(header.Name))
            {
                errors.Add(new SendGridError($"The {header.Name} header is reserved and cannot be set.", Join(field, header.Name)));
            }
        }
    }

    private static int Count(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0;

    private static int CustomArgsBytes(JsonElement owner) =>
        owner.TryGetProperty("custom_args", out var args) && args.ValueKind == JsonValueKind.Object
            ? Encoding.UTF8.GetByteCount(args.GetRawText())
            : 0;

    /// <summary>JSON pointer <c>/personalizations/0/to</c> to SendGrid's <c>personalizations.0.to</c>; null for the root.</summary>
    internal static string? ToField(string pointer)
    {
        if (string.IsNullOrEmpty(pointer) || pointer == "/")
        {
            return null;
        }

        return string.Join('.', pointer.TrimStart('/').Split('/').Select(Unescape));
    }

    private static string Join(string? parent, string name) => parent is null ? name : parent + "." + name;

    private static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    private static JsonNode? Navigate(JsonNode? node, string pointer)
    {
        foreach (var segment in Segments(pointer))
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, out var i) && i >= 0 && i < array.Count => array[i],
                _ => null,
            };
        }

        return node;
    }

    private static bool TryNavigate(JsonElement element, string pointer, out JsonElement found)
    {
        found = element;
        foreach (var segment in Segments(pointer))
        {
            if (found.ValueKind == JsonValueKind.Object && found.TryGetProperty(segment, out var child))
            {
                found = child;
            }
            else if (found.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var i) && i >= 0 && i < found.GetArrayLength())
            {
                found = found[i];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> Segments(string pointer) =>
        pointer.Length == 0 ? [] : pointer.TrimStart('/').Split('/').Select(Unescape);
}
