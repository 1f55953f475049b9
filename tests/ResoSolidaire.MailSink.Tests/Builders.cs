using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace ResoSolidaire.MailSink.Tests;

/// <summary>Builds send bodies as JSON, valid unless a test breaks them on purpose.</summary>
internal static class SendBody
{
    public static JsonObject Valid(string to = "benevole@example.org", string subject = "Bonjour") => new()
    {
        ["personalizations"] = new JsonArray(Personalization(to)),
        ["from"] = new JsonObject { ["email"] = "contact@resosolidaire.example", ["name"] = "Réso Solidaire" },
        ["subject"] = subject,
        ["content"] = new JsonArray(
            new JsonObject { ["type"] = "text/plain", ["value"] = "Bonjour" },
            new JsonObject { ["type"] = "text/html", ["value"] = "<p>Bonjour</p>" }),
    };

    public static JsonObject Personalization(params string[] to) => new()
    {
        ["to"] = new JsonArray([.. to.Select(email => (JsonNode)new JsonObject { ["email"] = email })]),
    };

    public static JsonObject WithPersonalizations(this JsonObject body, int count)
    {
        body["personalizations"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)Personalization($"personne{i}@example.org"))]);
        return body;
    }
}

internal static class Sink
{
    public static Task<MailSinkServer> StartAsync(string? apiKey = null, int capacity = 5000) =>
        MailSinkServer.StartAsync(new MailSinkOptions { Port = 0, ApiKey = apiKey, Capacity = capacity });

    /// <summary>The official client, pointed at the sink the way the app under test does it.</summary>
    public static SendGridClient Client(this MailSinkServer sink, string apiKey = "SG.test-key", bool trailingSlash = false) =>
        new(new SendGridClientOptions
        {
            ApiKey = apiKey,
            Host = trailingSlash ? sink.BaseAddress.ToString() : sink.BaseAddress.GetLeftPart(UriPartial.Authority),
        });

    public static HttpClient Http(this MailSinkServer sink) => new() { BaseAddress = sink.BaseAddress };

    public static async Task<HttpResponseMessage> PostSendAsync(this HttpClient http, string body, string? bearer = "SG.test-key")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v3/mail/send")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostSendAsync(this HttpClient http, JsonObject body) => http.PostSendAsync(body.ToJsonString());

    public static SendGridMessage Newsletter(string to = "benevole@example.org")
    {
        var message = MailHelper.CreateSingleEmail(
            new EmailAddress("contact@resosolidaire.example", "Réso Solidaire"),
            new EmailAddress(to, "Camille"),
            "Lettre de novembre",
            "Bonjour -prenom-, voici les nouvelles.",
            "<p>Bonjour <b>-prenom-</b>, voici les nouvelles.</p>");
        message.AddSubstitution("-prenom-", "Camille");
        message.AddCustomArg("edition", "2026-11");
        message.AddCategory("lettre");
        message.AddHeader("List-Unsubscribe", "<https://resosolidaire.example/desinscription>");
        return message;
    }
}

/// <summary>SendGrid's error body, as the tests read it.</summary>
internal sealed record SendGridErrors(IReadOnlyList<SendGridErrorEntry> Errors)
{
    private static readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web);

    public static async Task<SendGridErrors> ReadAsync(HttpContent content)
    {
        var text = await content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        foreach (var entry in json.RootElement.GetProperty("errors").EnumerateArray())
        {
            // SendGrid always writes the three members, null when they do not apply.
            Assert.True(entry.TryGetProperty("message", out _), text);
            Assert.True(entry.TryGetProperty("field", out _), text);
            Assert.True(entry.TryGetProperty("help", out _), text);
        }

        return JsonSerializer.Deserialize<SendGridErrors>(text, _options)!;
    }

    public IEnumerable<string?> Fields => Errors.Select(e => e.Field);
}

internal sealed record SendGridErrorEntry(string Message, string? Field, string? Help);
