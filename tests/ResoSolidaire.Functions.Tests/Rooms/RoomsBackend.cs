using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.MailSink;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Rooms;

/// <summary>Builders and probes of the room sharing's end-to-end tests: a lending structure, a published room, the links of the mails.</summary>
internal static partial class RoomsBackend
{
    public static readonly TimeSpan MailWait = TimeSpan.FromSeconds(20);

    /// <summary>A backend whose tests can issue links (the signing key) and post many forms (each client its own hop).</summary>
    public static Task<Backend> StartAsync() => Newsletter.NewsletterBackend.StartAsync(new()
    {
        ["Forms__TrustedProxyHops"] = "2",
        ["Forms__RateLimitPermits"] = "1000",
    });

    /// <summary>An anonymous caller of its own address, as the website's visitors are.</summary>
    public static HttpClient Visitor(Backend backend, bool redirects = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = redirects }) { BaseAddress = backend.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.9.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        return client;
    }

    public static async Task<string> CreateActorAsync(Backend backend, string name)
    {
        using var response = await backend.StaffClient.PostAsJsonAsync("api/staff/directory/actors", ActorBodies.Valid(Guid.NewGuid().ToString("N")[..6], name));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public static JsonObject Offer(string contactEmail, string name = "Salle du Blosne") => new()
    {
        ["structure"] = "Maison des associations du Blosne",
        ["name"] = name,
        ["kind"] = "salle-de-reunion",
        ["capacity"] = 20,
        ["equipment"] = new JsonArray("videoprojecteur", "wifi"),
        ["accessible"] = true,
        ["address"] = "7 boulevard de Yougoslavie",
        ["commune"] = "35238",
        ["conditions"] = "gratuit",
        ["description"] = "Une salle claire au rez-de-chaussée, tables en U.",
        ["monday"] = "9h-12h, 14h-18h",
        ["tuesday"] = "9h-18h",
        ["thursday"] = "9h-18h",
        ["closedPeriods"] = "du 01/08/2027 au 22/08/2027",
        ["contactName"] = "Morgane Le Goff",
        ["contactEmail"] = contactEmail,
        ["contactPhone"] = "02 99 00 00 02",
        ["consent"] = true,
    };

    /// <summary>A room offered through the public form, then approved by staff and linked to a new structure of the directory.</summary>
    public static async Task<(string RoomId, string ActorId)> PublishedRoomAsync(Backend backend, string contactEmail, string name = "Salle du Blosne")
    {
        var actorId = await CreateActorAsync(backend, "Maison des associations " + Guid.NewGuid().ToString("N")[..6]);
        using var visitor = Visitor(backend);
        using var offered = await visitor.PostAsJsonAsync("api/rooms/offers", Offer(contactEmail, name));
        Assert.Equal(HttpStatusCode.Accepted, offered.StatusCode);
        var roomId = (await offered.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var approved = await backend.StaffClient.PostAsJsonAsync($"api/staff/rooms/{roomId}/approve", new { actorId });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        return (roomId, actorId);
    }

    public static JsonObject Request(string email, DateOnly date, string start, string end, string? structure, DateOnly? until = null, string purpose = "Réunion du bureau") => new()
    {
        ["name"] = "Awa Diallo",
        ["email"] = email,
        ["phone"] = "06 12 34 56 78",
        ["structure"] = structure,
        ["purpose"] = purpose,
        ["people"] = 12,
        ["date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["start"] = start,
        ["end"] = end,
        ["recurrence"] = until is null ? "aucune" : "hebdomadaire",
        ["until"] = until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["consent"] = true,
    };

    /// <summary>The last Sunday of the next October to come at least two weeks from today: the day Europe/Paris goes back from UTC+2 to UTC+1.</summary>
    public static DateOnly NextOctoberChange()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var year = today.Year; ; year++)
        {
            var day = new DateOnly(year, 10, 31);
            while (day.DayOfWeek != DayOfWeek.Sunday)
            {
                day = day.AddDays(-1);
            }

            if (day.AddDays(-14) > today)
            {
                return day;
            }
        }
    }

    /// <summary>The link of <paramref name="label"/> in a mail's text part, on the test's host (the mail carries the public address of the settings).</summary>
    public static string LinkIn(ReceivedMail mail, string label)
    {
        var match = Regex.Match(mail.Text ?? "", Regex.Escape(label) + @" : \S+/api/(?<path>rooms/requests/[a-z]+\?token=\S+)");
        Assert.True(match.Success, $"No « {label} » link in: {mail.Text}");
        return "api/" + match.Groups["path"].Value;
    }

    /// <summary>The token of a link, for the form its page posts.</summary>
    public static string TokenOf(string link) => Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

    /// <summary>Opens a link as a person does (GET shows the page), then presses its button (POST with the token).</summary>
    public static async Task<(string Page, HttpResponseMessage Answer)> FollowAsync(Backend backend, string link, params (string Name, string Value)[] fields)
    {
        using var client = Visitor(backend);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        using var shown = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var page = WebUtility.HtmlDecode(await shown.Content.ReadAsStringAsync());
        var form = new List<KeyValuePair<string, string>> { new("token", TokenOf(link)) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        var answer = await client.PostAsync(link[..link.IndexOf('?', StringComparison.Ordinal)], new FormUrlEncodedContent(form));
        return (page, answer);
    }

    /// <summary>The attachment of a mail, decoded from the body SendGrid received.</summary>
    public static string Attachment(ReceivedMail mail, string fileName)
    {
        var attachments = JsonNode.Parse(mail.RawJson)!["attachments"]!.AsArray();
        var attachment = attachments.Single(a => a!["filename"]!.GetValue<string>() == fileName)!;
        Assert.Equal("text/calendar", attachment["type"]!.GetValue<string>());
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(attachment["content"]!.GetValue<string>()));
    }
}
