using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.MailSink;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Rooms;

/// <summary>Builders and probes of the room sharing's end-to-end tests: a lending structure, a published room, the links of the mails.</summary>
internal static partial class RoomsBackend
{
    private const string JpegBase64 = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCABAAGADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAQF/8QAFhABAQEAAAAAAAAAAAAAAAAAABNh/8QAFgEBAQEAAAAAAAAAAAAAAAAAAAUE/8QAFhEBAQEAAAAAAAAAAAAAAAAAABIT/9oADAMBAAIRAxEAPwDKkSVyJKGqPCSRJXIkakJJElciRqQkkSVyJGpCSRJXIkakJJElciRqQrlhLFkiSZq2wjlhLFkiRqQjlhLFkiRqQjlhLFkiRqQjlhLFkiRqQjlhLFkiRqQrlhLFksJYl6tsI5YSxZLCWGpCOWEsWSwlhqQjlhLFksJYakI5YSxZLCWGpCOWEsWSwlhqQrkSWSwliZq2wjkSWSwlhqQjkSWSwlhqQjkSWSwlhqQjkSWSwlhqQjkSWSwlhqQ//9k=";

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

    /// <summary>A real 96×64 JPEG (a gradient), without metadata.</summary>
    public static byte[] CleanJpeg() => Convert.FromBase64String(JpegBase64);

    /// <summary>A real 8×8 PNG, without metadata.</summary>
    public static byte[] CleanPng() => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAQMAAAD+wSzIAAAAA1BMVEUqb5cero9jAAAAC0lEQVQI12NgQAUAABAAAaHFIcEAAAAASUVORK5CYII=");

    /// <summary>The text a phone writes into a photo: where it was taken and whose phone it is.</summary>
    public const string CameraData = "GPS 48.1066N 1.6560W Morgane Le Goff iPhone 15 serial F2LXK";

    /// <summary>The JPEG as a phone sends it: an EXIF segment (APP1) and a comment carrying <see cref="CameraData"/>.</summary>
    public static byte[] JpegFromAPhone()
    {
        var clean = CleanJpeg();
        var exif = Encoding.ASCII.GetBytes("Exif\0\0" + CameraData);
        var comment = Encoding.ASCII.GetBytes(CameraData);
        return [.. clean[..2], .. Segment(0xE1, exif), .. Segment(0xFE, comment), .. clean[2..]];

        static byte[] Segment(byte marker, byte[] data) => [0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)((data.Length + 2) & 0xFF), .. data];
    }

    /// <summary>The PNG with a text chunk (tEXt, after IHDR) carrying <see cref="CameraData"/>.</summary>
    public static byte[] PngWithText()
    {
        var clean = CleanPng();
        var data = Encoding.ASCII.GetBytes("Author\0" + CameraData);
        byte[] chunk = [(byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, .. "tEXt"u8, .. data, 0, 0, 0, 0];
        return [.. clean[..33], .. chunk, .. clean[33..]];
    }

    /// <summary>An offer as the site's form posts it with photos (multipart): the fields of <paramref name="offer"/>, then the files.</summary>
    public static MultipartFormDataContent OfferWithPhotos(JsonObject offer, params (string FileName, byte[] Content, string Type)[] photos)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in offer)
        {
            foreach (var item in value is JsonArray array ? array.Select(a => a!.ToString()) : [value is JsonValue v && v.TryGetValue<bool>(out var flag) ? (flag ? "on" : "") : value!.ToString()])
            {
                content.Add(new StringContent(item, Encoding.UTF8), name);
            }
        }

        foreach (var (fileName, bytes, type) in photos)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            content.Add(part, "photos", fileName);
        }

        return content;
    }

    /// <summary>A room offered with a photo from a phone, then published by staff; its id and the new structure's.</summary>
    public static async Task<(string RoomId, string ActorId)> PublishedRoomWithPhotoAsync(Backend backend, string contactEmail, string name)
    {
        var actorId = await CreateActorAsync(backend, "Maison des associations " + Guid.NewGuid().ToString("N")[..6]);
        using var visitor = Visitor(backend);
        visitor.DefaultRequestHeaders.Accept.ParseAdd("application/json"); // as the site's script posts: a 202 with the id, not a 303
        using var body = OfferWithPhotos(Offer(contactEmail, name), ("salle.jpg", JpegFromAPhone(), "image/jpeg"));
        using var offered = await visitor.PostAsync("api/rooms/offers", body);
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
