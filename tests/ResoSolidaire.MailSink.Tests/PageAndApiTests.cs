using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ResoSolidaire.MailSink.Tests;

public class PageAndApiTests
{
    [Fact]
    public async Task ThePageListsAReceivedMailInFrench()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        await sink.Client().SendEmailAsync(Sink.Newsletter());

        using var response = await http.GetAsync("");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"fr\">", page, StringComparison.Ordinal);
        Assert.Contains("Lettre de novembre", page, StringComparison.Ordinal);
        Assert.Contains("contact@resosolidaire.example", page, StringComparison.Ordinal);
        Assert.Contains("benevole@example.org", page, StringComparison.Ordinal);
        Assert.Contains("Accepté", page, StringComparison.Ordinal);
        Assert.Contains("/messages/" + sink.Messages.Snapshot()[0].Id, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDetailPageShowsTheHtmlPartOnlyEscapedInASandboxedIframe()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid(subject: "<script>alert('objet')</script>");
        body["content"]![1]!["value"] = "<p>Salut</p><script>alert(\"courriel\")</script><img src=x onerror=alert(1)>";
        body["personalizations"]![0]!["substitutions"] = new JsonObject { ["-prenom-"] = "<script>alert(2)</script>" };
        (await http.PostSendAsync(body)).Dispose();
        var id = Assert.Single(sink.Messages.Snapshot()).Id;

        var page = await http.GetStringAsync("messages/" + id);
        var list = await http.GetStringAsync("");

        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", list, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("sandbox=\"\"", page, StringComparison.Ordinal);
        Assert.Contains("srcdoc=\"&lt;p&gt;Salut&lt;/p&gt;&lt;script&gt;alert(&quot;courriel&quot;)", page, StringComparison.Ordinal);
        Assert.Contains("-prenom-", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDetailPageOfAnUnknownMailIsA404InFrench()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();

        using var response = await http.GetAsync("messages/inconnu");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Courriel introuvable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheJsonApiListsNewestFirstAndFiltersByRecipient()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var client = sink.Client();
        await client.SendEmailAsync(Sink.Newsletter("alice@example.org"));
        await client.SendEmailAsync(Sink.Newsletter("bob@example.org"));

        var all = await http.GetFromJsonAsync<JsonArray>("api/messages");
        var forAlice = await http.GetFromJsonAsync<JsonArray>("api/messages?to=ALICE@example.org");

        Assert.Equal(["bob@example.org", "alice@example.org"], all!.Select(m => (string?)m!["to"]![0]));
        var alice = Assert.Single(forAlice!);
        var detail = await http.GetFromJsonAsync<JsonObject>("api/messages/" + (string?)alice!["id"]);
        Assert.Equal("Camille", (string?)detail!["personalizations"]![0]!["substitutions"]!["-prenom-"]);
        Assert.Equal("Lettre de novembre", (string?)detail["personalizations"]![0]!["subject"]);
        Assert.Equal("Lettre de novembre", (string?)detail["subject"]);
        Assert.Equal("Lettre de novembre", (string?)alice["subject"]);
    }

    [Fact]
    public async Task DeletingMessagesOverTheApiEmptiesTheStore()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        await sink.Client().SendEmailAsync(Sink.Newsletter());

        using var response = await http.DeleteAsync("api/messages");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty((await http.GetFromJsonAsync<JsonArray>("api/messages"))!);
        Assert.Equal(1, sink.Messages.TotalAccepted);
    }

    [Fact]
    public async Task AnUnknownMessageIdIsA404Problem()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();

        using var response = await http.GetAsync("api/messages/inconnu");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
