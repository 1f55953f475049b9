using System.Buffers;
using System.Text.Encodings.Web;
using ResoSolidaire.Functions.Newsletter.Editions;

namespace ResoSolidaire.Functions.Newsletter.Dispatch;

/// <summary>
/// One SendGrid request for one batch: the edition's content once, and one personalization per recipient
/// with their own unsubscribe and preferences links (substitutions) and their own List-Unsubscribe headers.
/// </summary>
public sealed class BatchComposer(NewsletterLinks links, IOptions<MailOptions> mailOptions)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Compose(RenderedEdition content, IEnumerable<LedgerEntity> recipients, string editionId, string batch, string category)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(recipients);
        var buffer = new ArrayBufferWriter<byte>(256 * 1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("personalizations");
            foreach (var r in recipients)
            {
                var unsubscribe = links.Unsubscribe(r.RowKey);
                json.WriteStartObject();
                json.WriteStartArray("to");
                json.WriteStartObject();
                json.WriteString("email", r.Email);
                if (CleanName(r.Name) is { } name)
                {
                    json.WriteString("name", name);
                }

                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartObject("headers");
                json.WriteString("List-Unsubscribe", links.ListUnsubscribeHeader(unsubscribe));
                json.WriteString("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                json.WriteEndObject();
                json.WriteStartObject("substitutions");
                json.WriteString(RenderedEdition.UnsubscribeTag, unsubscribe);
                json.WriteString(RenderedEdition.PreferencesTag, links.Preferences(r.RowKey));
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("from");
            json.WriteString("email", mailOptions.Value.FromAddress);
            json.WriteString("name", mailOptions.Value.FromName);
            json.WriteEndObject();
            json.WriteString("subject", content.Subject);
            json.WriteStartArray("content");
            json.WriteStartObject();
            json.WriteString("type", "text/plain");
            json.WriteString("value", content.Text);
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteString("type", "text/html");
            json.WriteString("value", content.Html);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("categories");
            json.WriteStringValue(category);
            json.WriteEndArray();
            json.WriteStartObject("custom_args");
            json.WriteString("edition", editionId);
            json.WriteString("batch", batch);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>SendGrid refuses display names with commas or semicolons; quotes are dropped too.</summary>
    private static string? CleanName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var cleaned = new string([.. name.Where(c => c is not (',' or ';' or '"') && !char.IsControl(c))]).Trim();
        return cleaned.Length == 0 ? null : cleaned.Length > 100 ? cleaned[..100] : cleaned;
    }
}
