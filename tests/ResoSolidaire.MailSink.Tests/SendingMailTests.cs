using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ResoSolidaire.MailSink.Tests;

public class SendingMailTests
{
    [Fact]
    public async Task AValidMailFromTheSendGridClientIsAcceptedAndKept()
    {
        await using var sink = await Sink.StartAsync(apiKey: "SG.test-key");

        var response = await sink.Client().SendEmailAsync(Sink.Newsletter());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Body.ReadAsStringAsync());
        var id = Assert.Single(response.Headers.GetValues("X-Message-Id"));
        var mail = Assert.Single(sink.Messages.Snapshot());
        Assert.Equal(id, mail.Id);
        Assert.True(mail.IsValid);
        Assert.Equal("contact@resosolidaire.example", mail.From);
        Assert.Equal("Lettre de novembre", mail.Subject);
        Assert.Equal("Lettre de novembre", mail.SubjectFor(mail.Personalizations[0]));
        Assert.Equal(["benevole@example.org"], mail.Personalizations[0].To);
        Assert.Equal("Camille", mail.Personalizations[0].Substitutions["-prenom-"]);
        Assert.Equal("2026-11", mail.Personalizations[0].CustomArgs["edition"]);
        Assert.Equal("<https://resosolidaire.example/desinscription>", mail.Personalizations[0].Headers["List-Unsubscribe"]);
        Assert.Equal(["lettre"], mail.Categories);
        Assert.Contains("<b>-prenom-</b>", mail.Html, StringComparison.Ordinal);
        Assert.StartsWith("Bonjour -prenom-", mail.Text, StringComparison.Ordinal);
        Assert.Contains("\"personalizations\"", mail.RawJson, StringComparison.Ordinal);
        Assert.Equal(1, sink.Messages.TotalAccepted);
        Assert.Equal(1, sink.Messages.TotalRecipients);
    }

    [Fact]
    public async Task TheSendGridClientReachesTheSinkEvenWithATrailingSlashInItsHost()
    {
        await using var sink = await Sink.StartAsync();

        var response = await sink.Client(trailingSlash: true).SendEmailAsync(Sink.Newsletter());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task MessageLevelCustomArgsSentAsAnObjectAreAccepted()
    {
        await using var sink = await Sink.StartAsync();
        var message = Sink.Newsletter();
        message.CustomArgs = new Dictionary<string, string> { ["campagne"] = "hiver" };

        var response = await sink.Client().SendEmailAsync(message);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("hiver", Assert.Single(sink.Messages.Snapshot()).CustomArgs["campagne"]);
    }

    [Fact]
    public async Task ASendWithoutBearerKeyIsRefusedWith401InSendGridsShape()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();

        using var response = await http.PostSendAsync(SendBody.Valid().ToJsonString(), bearer: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = Assert.Single((await SendGridErrors.ReadAsync(response.Content)).Errors);
        Assert.Null(error.Field);
        Assert.Empty(sink.Messages.Snapshot());
    }

    [Fact]
    public async Task ASendWithTheWrongKeyIsRefusedWith401WhenTheSinkHasAKey()
    {
        await using var sink = await Sink.StartAsync(apiKey: "SG.right-key");

        var response = await sink.Client(apiKey: "SG.wrong-key").SendEmailAsync(Sink.Newsletter());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid", (await SendGridErrors.ReadAsync(response.Body)).Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, sink.Messages.TotalAccepted);
    }

    [Fact]
    public async Task MalformedJsonIsRefusedWith400InSendGridsShape()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();

        using var response = await http.PostSendAsync("""{"personalizations": [""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await SendGridErrors.ReadAsync(response.Content)).Errors);
        Assert.StartsWith("Bad Request", error.Message, StringComparison.Ordinal);
        Assert.False(Assert.Single(sink.Messages.Snapshot()).IsValid);
    }

    [Fact]
    public async Task AMailWithoutFromIsRefusedNamingTheField()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid();
        body.Remove("from");

        using var response = await http.PostSendAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["from"], (await SendGridErrors.ReadAsync(response.Content)).Fields);
        Assert.Equal(0, sink.Messages.TotalAccepted);
    }

    [Fact]
    public async Task EmptyPersonalizationsAreRefusedNamingTheField()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid();
        body["personalizations"] = new JsonArray();

        using var response = await http.PostSendAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["personalizations"], (await SendGridErrors.ReadAsync(response.Content)).Fields);
    }

    [Fact]
    public async Task EachSchemaViolationIsReportedAtItsOwnPath()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid(to: "pas-une-adresse");
        body["subject"] = 42;
        body["content"]![1]!["value"] = "";

        using var response = await http.PostSendAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await SendGridErrors.ReadAsync(response.Content)).Fields.ToHashSet();
        Assert.Contains("personalizations.0.to.0.email", fields);
        Assert.Contains("subject", fields);
        Assert.Contains("content.1.value", fields);
        var refused = Assert.Single(sink.Messages.Snapshot());
        Assert.False(refused.IsValid);
        Assert.Equal(fields.Count, refused.Errors.Count);
    }

    [Fact]
    public async Task ThousandPersonalizationsAreAcceptedAndOneMoreIsRefused()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();

        using var thousand = await http.PostSendAsync(SendBody.Valid().WithPersonalizations(1000));
        using var thousandAndOne = await http.PostSendAsync(SendBody.Valid().WithPersonalizations(1001));

        Assert.Equal(HttpStatusCode.Accepted, thousand.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, thousandAndOne.StatusCode);
        Assert.Contains("personalizations", (await SendGridErrors.ReadAsync(thousandAndOne.Content)).Fields);
        Assert.Equal(1000, sink.Messages.TotalRecipients);
    }

    [Fact]
    public async Task MoreThanThousandRecipientsInTotalAreRefused()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid();
        body["personalizations"] = new JsonArray(
            SendBody.Personalization([.. Enumerable.Range(0, 600).Select(i => $"a{i}@example.org")]),
            SendBody.Personalization([.. Enumerable.Range(0, 401).Select(i => $"b{i}@example.org")]));

        using var response = await http.PostSendAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await SendGridErrors.ReadAsync(response.Content)).Errors);
        Assert.Equal("personalizations", error.Field);
        Assert.Contains("1001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASendScheduledMoreThan72HoursAheadIsRefused()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid();
        body["send_at"] = DateTimeOffset.UtcNow.AddHours(73).ToUnixTimeSeconds();

        using var response = await http.PostSendAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["send_at"], (await SendGridErrors.ReadAsync(response.Content)).Fields);
    }

    [Fact]
    public async Task CustomArgsOfTenThousandBytesAreRefused()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid();
        body["personalizations"]![0]!["custom_args"] = new JsonObject { ["big"] = new string('x', 10_000) };

        using var response = await http.PostSendAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["personalizations.0.custom_args"], (await SendGridErrors.ReadAsync(response.Content)).Fields);
    }

    [Fact]
    public async Task WaitingForAMailCompletesWhenItArrives()
    {
        await using var sink = await Sink.StartAsync();
        var waiting = sink.Messages.WaitForAsync(m => m.IsAddressedTo("attendu@example.org"), TimeSpan.FromSeconds(10));

        await sink.Client().SendEmailAsync(Sink.Newsletter("autre@example.org"));
        Assert.False(waiting.IsCompleted);
        await sink.Client().SendEmailAsync(Sink.Newsletter("attendu@example.org"));

        Assert.Equal(["attendu@example.org"], (await waiting).Personalizations[0].To);
    }

    [Fact]
    public async Task WaitingForAMailThatNeverComesTimesOut()
    {
        await using var sink = await Sink.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => sink.Messages.WaitForAsync(_ => true, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task TheStoreKeepsTheLastMessagesOnlyButCountersKeepCounting()
    {
        await using var sink = await Sink.StartAsync(capacity: 2);
        var client = sink.Client();

        foreach (var to in new[] { "un@example.org", "deux@example.org", "trois@example.org" })
        {
            await client.SendEmailAsync(Sink.Newsletter(to));
        }

        Assert.Equal(["deux@example.org", "trois@example.org"], sink.Messages.Snapshot().Select(m => m.Personalizations[0].To[0]));
        sink.Messages.Clear();
        Assert.Empty(sink.Messages.Snapshot());
        Assert.Equal(3, sink.Messages.TotalAccepted);
        Assert.Equal(3, sink.Messages.TotalRecipients);
    }

    [Fact]
    public async Task StartingOnAPortInUseFailsWithAClearException()
    {
        await using var first = await Sink.StartAsync();

        var exception = await Assert.ThrowsAsync<MailSinkPortInUseException>(
            () => MailSinkServer.StartAsync(new MailSinkOptions { Port = first.BaseAddress.Port }));

        Assert.Equal(first.BaseAddress.Port, exception.Port);
    }

    [Fact]
    public async Task AGzippedBodyIsAccepted()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Compress, leaveOpen: true))
        {
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes(SendBody.Valid().ToJsonString()));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "v3/mail/send") { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = new("Bearer", "SG.test-key");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task TheHealthEndpointReportsCounters()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        await sink.Client().SendEmailAsync(Sink.Newsletter());

        var health = await http.GetFromJsonAsync<JsonObject>("api/health");

        Assert.Equal("ok", (string?)health!["status"]);
        Assert.Equal(1, (long?)health["totalAccepted"]);
    }
}
