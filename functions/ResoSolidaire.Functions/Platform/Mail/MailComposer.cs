namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>Turns an <see cref="OutgoingMail"/> into the JSON body of SendGrid's POST /v3/mail/send.</summary>
public sealed class MailComposer(IOptions<MailOptions> options)
{
    private readonly MailOptions _options = options.Value;

    public string ToSendGridJson(OutgoingMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var personalization = new JsonObject
        {
            ["to"] = new JsonArray([.. mail.To.Distinct(StringComparer.OrdinalIgnoreCase).Select(a => (JsonNode)new JsonObject { ["email"] = a })]),
        };
        var body = new JsonObject
        {
            ["personalizations"] = new JsonArray(personalization),
            ["from"] = new JsonObject { ["email"] = _options.FromAddress, ["name"] = _options.FromName },
            ["subject"] = mail.Subject,
            // SendGrid requires text/plain first when both parts are present.
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "text/plain", ["value"] = mail.Text },
                new JsonObject { ["type"] = "text/html", ["value"] = mail.Html }),
            ["categories"] = new JsonArray(mail.Kind),
        };
        if (mail.ReplyTo is not null)
        {
            body["reply_to"] = new JsonObject { ["email"] = mail.ReplyTo };
        }

        if (mail.Headers.Count > 0)
        {
            var headers = new JsonObject();
            foreach (var (name, value) in mail.Headers)
            {
                headers[name] = value;
            }

            body["headers"] = headers;
        }

        if (mail.Attachments.Count > 0)
        {
            body["attachments"] = new JsonArray([.. mail.Attachments.Select(a => (JsonNode)new JsonObject
            {
                ["content"] = Convert.ToBase64String(a.Content),
                ["type"] = a.ContentType,
                ["filename"] = a.FileName,
                ["disposition"] = "attachment",
            })]);
        }

        return body.ToJsonString(JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
