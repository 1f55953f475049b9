using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ResoSolidaire.MailSink;

namespace ResoSolidaire.Functions.Tests.EndToEnd;

/// <summary>One answer of the backend as a person may read it: where it came from, and its body.</summary>
internal sealed record CollectedAnswer(string Source, string? MediaType, byte[] Body);

/// <summary>Keeps a copy of every answer that goes through the clients it is put in, so that a test can read them all afterwards.</summary>
internal sealed class AnswerRecorder : DelegatingHandler
{
    private readonly List<CollectedAnswer> _answers;

    public AnswerRecorder(List<CollectedAnswer> answers)
        : base(new HttpClientHandler { AllowAutoRedirect = false })
    {
        _answers = answers;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var copy = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = copy;
        lock (_answers)
        {
            _answers.Add(new CollectedAnswer($"{request.Method} {request.RequestUri?.PathAndQuery} → {(int)response.StatusCode}", response.Content.Headers.ContentType?.MediaType, body));
        }

        return response;
    }
}

/// <summary>
/// Finds English status words in what people read. Stable codes are allowed in the JSON properties declared
/// in <see cref="CodeProperties"/>, and only with their French label beside them (<c>status</c> and
/// <c>statusLabel</c>); everything else (JSON strings, problem titles and details, HTML pages, mail subjects
/// and bodies, export files) must be free of them. Links are left out: their tokens are random text.
/// </summary>
internal static partial class PersonFacingText
{
    /// <summary>
    /// JSON properties that hold a stable code for scripts: skipped when their "…Label" sibling is there, read
    /// as text otherwise. The field errors of a filter on one of them list its codes (with their labels).
    /// </summary>
    public static IReadOnlySet<string> CodeProperties { get; } = new HashSet<string>(StringComparer.Ordinal) { "status", "outcome" };

    /// <summary>Technical identifiers no one reads as words: a mail's kind and SendGrid categories (« agenda-approved »).</summary>
    public static IReadOnlySet<string> TechnicalProperties { get; } = new HashSet<string>(StringComparer.Ordinal) { "kind", "categories" };

    /// <summary>The English words of our stored states, of the import outcomes, of .NET's network errors and of HTTP reason phrases.</summary>
    public static IReadOnlyList<string> EnglishWords { get; } =
    [
        "Draft", "Approved", "Sending", "Sent", "Uncertain", "Pending", "Failed", "Rejected", "Claimed", "Queued", "AlreadyQueued",
        "Confirmed", "Unsubscribed", "Suppressed", "created", "updated", "unchanged", "Timeout", "TimedOut", "ConnectionError",
        "NameResolutionError", "SecureConnectionError", "Bad Request", "Too Many Requests", "Service Unavailable",
        "Internal Server Error", "Unauthorized", "Forbidden", "Not Found",
    ];

    /// <summary>Whole words only (« consentement » holds « sent »), in any case.</summary>
    private static readonly Regex Words = new(
        @"(?<![\p{L}\p{N}])(" + string.Join('|', EnglishWords.Select(Regex.Escape)) + @")(?![\p{L}\p{N}])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static List<string> Findings(IEnumerable<CollectedAnswer> answers, IEnumerable<ReceivedMail> mails)
    {
        var findings = new List<string>();
        foreach (var answer in answers)
        {
            findings.AddRange(InAnswer(answer));
        }

        foreach (var mail in mails)
        {
            var source = $"mail « {mail.Subject} »";
            findings.AddRange(InText($"{source} (objet)", mail.Subject));
            findings.AddRange(InText($"{source} (texte)", mail.Text));
            findings.AddRange(InText($"{source} (HTML)", mail.Html));
            foreach (var personalization in mail.Personalizations)
            {
                findings.AddRange(InText($"{source} (objet personnalisé)", personalization.Subject));
            }
        }

        return findings;
    }

    public static IEnumerable<string> InAnswer(CollectedAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Body.Length == 0)
        {
            return [];
        }

        return answer.MediaType switch
        {
            "application/json" when answer.Source.Contains("/api/staff/exports/", StringComparison.Ordinal) =>
                InJson(answer.Source, JsonNode.Parse(answer.Body), codes: false),
            "application/json" or "application/problem+json" => InJson(answer.Source, JsonNode.Parse(answer.Body)),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => InWorkbook(answer.Source, answer.Body),
            _ => InText(answer.Source, Encoding.UTF8.GetString(answer.Body)),
        };
    }

    /// <summary>
    /// Every string value of a JSON answer. With <paramref name="codes"/>, a declared code property is skipped when
    /// its label is beside it; an export file has no codes (its cells are what people read).
    /// </summary>
    public static IEnumerable<string> InJson(string source, JsonNode? node, string path = "$", bool codes = true)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var labelled = obj[name + "Label"] is JsonValue label && label.GetValueKind() == JsonValueKind.String;
                    if (codes && (TechnicalProperties.Contains(name) || (CodeProperties.Contains(name) && (labelled || path == "$.errors"))))
                    {
                        continue;
                    }

                    foreach (var finding in InJson(source, value, $"{path}.{name}", codes))
                    {
                        yield return finding;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var finding in InJson(source, array[i], $"{path}[{i}]", codes))
                    {
                        yield return finding;
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                foreach (var finding in InText($"{source} {path}", value.GetValue<string>()))
                {
                    yield return finding;
                }

                break;
        }
    }

    public static IEnumerable<string> InText(string source, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var readable = Links().Replace(WebUtility.HtmlDecode(text), " ");
        foreach (Match match in Words.Matches(readable))
        {
            var start = Math.Max(0, match.Index - 40);
            var excerpt = readable.Substring(start, Math.Min(readable.Length - start, match.Length + 80)).ReplaceLineEndings(" ");
            yield return $"{source} : « {match.Value} » dans « {excerpt} »";
        }
    }

    private static IEnumerable<string> InWorkbook(string source, byte[] body)
    {
        using var zip = new ZipArchive(new MemoryStream(body), ZipArchiveMode.Read);
        var texts = new List<string>();
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            texts.Add(XmlTags().Replace(reader.ReadToEnd(), " "));
        }

        return InText(source, string.Join('\n', texts));
    }

    [GeneratedRegex(@"https?://\S+|mailto:\S+")]
    private static partial Regex Links();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex XmlTags();
}
