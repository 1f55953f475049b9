using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Testing;
using static ResoSolidaire.Functions.Tests.Newsletter.NewsletterBackend;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>One backend for the public newsletter endpoints; every test uses addresses of its own.</summary>
public sealed class PublicNewsletterBackend : IAsyncLifetime
{
    public ECDsa WebhookKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public Backend Backend { get; private set; } = null!;

    public async Task InitializeAsync() => Backend = await StartAsync(new()
    {
        ["SendGrid__WebhookPublicKey"] = Convert.ToBase64String(WebhookKey.ExportSubjectPublicKeyInfo()),
        // Each browser is a client of its own: the tests play the front end, two trusted hops.
        ["Forms__TrustedProxyHops"] = "2",
    });

    public async Task DisposeAsync()
    {
        await Backend.DisposeAsync();
        WebhookKey.Dispose();
    }
}

public sealed class NewsletterPublicTests(PublicNewsletterBackend fixture) : IClassFixture<PublicNewsletterBackend>
{
    private static readonly string[] RennesMetropole = ["243500139"];

    private readonly Backend _backend = fixture.Backend;

    private static string NewEmail() => $"lecteur-{Guid.NewGuid():N}@exemple.fr";

    private HttpClient Browser()
    {
        var client = _backend.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.9.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        return client;
    }

    /// <summary>A browser posting the form without JavaScript: it asks for HTML and is not redirected by the client.</summary>
    private HttpClient PlainBrowser()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _backend.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.9.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return client;
    }

    private async Task<HttpResponseMessage> SubscribeAsync(string email, string? website = null)
    {
        using var client = Browser();
        return await client.PostAsJsonAsync("api/newsletter/subscriptions", new { email, consent = true, territories = RennesMetropole, website });
    }

    private static string TokenIn(string text) =>
        text[(text.IndexOf("token=", StringComparison.Ordinal) + 6)..].Split('"', '\n', ' ', '<', '&')[0];

    [Fact]
    public async Task SixRefusedSubscriptionsThenAValidOneTheValidOneIsAccepted()
    {
        using var client = Browser();
        var email = NewEmail();
        for (var i = 0; i < 6; i++)
        {
            using var refused = await client.PostAsJsonAsync("api/newsletter/subscriptions", new { email, consent = false });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var accepted = await client.PostAsJsonAsync("api/newsletter/subscriptions", new { email, consent = true });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SubscribingSendsAConfirmationWhoseLinkShowsAPageAndOnlyThePostConfirms()
    {
        var email = NewEmail();

        using var subscribed = await SubscribeAsync(email);

        Assert.Equal(HttpStatusCode.Accepted, subscribed.StatusCode);
        var mail = await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), TimeSpan.FromSeconds(10));
        Assert.StartsWith("Confirmez votre inscription", mail.Subject, StringComparison.Ordinal);
        var token = TokenIn(mail.Text!);

        using var browser = Browser();
        browser.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var page = await browser.GetStringAsync($"api/newsletter/confirm?token={token}");
        Assert.Contains("<form method=\"post\"", page, StringComparison.Ordinal);
        Assert.Equal("Pending", await StatusOfAsync(email));

        using var confirmed = await browser.PostAsync("api/newsletter/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("Inscription confirmée", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Confirmed", await StatusOfAsync(email));
    }

    [Fact]
    public async Task AKnownAddressGetsTheSameAnswerAndAtMostOneConfirmationMailPerHour()
    {
        var email = NewEmail();

        using var first = await SubscribeAsync(email);
        using var second = await SubscribeAsync(email);
        using var stranger = await SubscribeAsync(NewEmail());

        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await stranger.Content.ReadAsStringAsync());
        await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        Assert.Single(_backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo(email));
    }

    [Fact]
    public async Task AFilledHoneypotIsAnsweredAlikeAndNothingIsStoredOrSent()
    {
        var email = NewEmail();

        using var response = await SubscribeAsync(email, website: "http://spam.example");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(await StatusOfAsync(email));
        Assert.DoesNotContain(_backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo(email));
    }

    [Fact]
    public async Task AnInvalidAddressIsAValidationProblem()
    {
        using var client = Browser();

        using var response = await client.PostAsJsonAsync("api/newsletter/subscriptions", new { email = "pas-une-adresse", consent = true });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]!["email"]);
    }

    [Fact]
    public async Task APlainFormPostIsSentToTheThankYouPageAndTheConfirmationIsMailed()
    {
        var email = NewEmail();
        using var client = PlainBrowser();
        using var body = new FormUrlEncodedContent([new("email", email), new("territories", "243500139"), new("sectors", "culture"), new("consent", "on"), new("website", "")]);

        using var response = await client.PostAsync("api/newsletter/subscriptions", body);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("http://localhost:8080/merci.html?formulaire=newsletter", response.Headers.Location!.AbsoluteUri);
        await _backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), TimeSpan.FromSeconds(10));
        Assert.Equal("Pending", await StatusOfAsync(email));
    }

    [Fact]
    public async Task APlainFormPostWithErrorsGetsAFrenchPageAndNothingIsStored()
    {
        var email = NewEmail();
        using var client = PlainBrowser();
        using var body = new FormUrlEncodedContent([new("email", email), new("name", new string('n', 121)), new("website", "")]);

        using var response = await client.PostAsync("api/newsletter/subscriptions", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"fr\">", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Nom</strong> : ", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Consentement</strong> : Merci de cocher la case de consentement", page, StringComparison.Ordinal);
        Assert.Null(await StatusOfAsync(email));
    }

    [Fact]
    public async Task APlainFormPostWithAnInvalidAddressNamesItOnTheFrenchPage()
    {
        using var client = PlainBrowser();
        using var body = new FormUrlEncodedContent([new("email", "lecteur@exemple"), new("consent", "on")]);

        using var response = await client.PostAsync("api/newsletter/subscriptions", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<strong>Adresse e-mail</strong> : L&#x27;adresse e-mail n&#x27;est pas valide", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneClickUnsubscribeAsAMailClientSendsItSuppressesTheAddressAtOnce()
    {
        var email = NewEmail();
        var token = Tokens().Issue("newsletter-unsubscribe", EmailKeyOf(email), TimeSpan.FromDays(30));

        using var response = await OneClickAsync(_backend, $"<http://localhost:7071/api/newsletter/unsubscribe?token={token}>, <mailto:x@example.org>");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var suppression = await _backend.Table("NewsletterSuppressions").GetEntityAsync<SuppressionEntity>(SuppressionEntity.Partition, EmailKeyOf(email));
        Assert.Equal("one-click", suppression.Value.Source);
    }

    [Fact]
    public async Task TheUnsubscribeLinkOpenedInABrowserShowsAButtonAndSuppressesNothing()
    {
        var email = NewEmail();
        var token = Tokens().Issue("newsletter-unsubscribe", EmailKeyOf(email), TimeSpan.FromDays(30));
        using var browser = Browser();
        browser.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        var page = await browser.GetStringAsync($"api/newsletter/unsubscribe?token={token}");

        Assert.Contains("Je me désinscris", page, StringComparison.Ordinal);
        var found = await _backend.Table("NewsletterSuppressions").GetEntityIfExistsAsync<SuppressionEntity>(SuppressionEntity.Partition, EmailKeyOf(email));
        Assert.False(found.HasValue);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("expired")]
    [InlineData("wrong-purpose")]
    public async Task AnUnsubscribeWithABadTokenIsRefusedAndSuppressesNothing(string kind)
    {
        var email = NewEmail();
        var key = EmailKeyOf(email);
        var token = kind switch
        {
            "forged" => new Functions.Platform.Tokens.SignedTokens(Microsoft.Extensions.Options.Options.Create(new Functions.Platform.Tokens.TokenOptions { SigningKey = Convert.ToBase64String(new byte[32]) }), TimeProvider.System)
                .Issue("newsletter-unsubscribe", key, TimeSpan.FromDays(1)),
            "expired" => Tokens(new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-10))).Issue("newsletter-unsubscribe", key, TimeSpan.FromDays(1)),
            _ => Tokens().Issue("newsletter-preferences", key, TimeSpan.FromDays(1)),
        };

        using var response = await OneClickAsync(_backend, $"<http://localhost/api/newsletter/unsubscribe?token={token}>");

        Assert.Equal(kind == "expired" ? HttpStatusCode.Gone : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var found = await _backend.Table("NewsletterSuppressions").GetEntityIfExistsAsync<SuppressionEntity>(SuppressionEntity.Partition, key);
        Assert.False(found.HasValue);
    }

    [Fact]
    public async Task ASignedBounceSuppressesTheAddressAndARepeatedEventIsCountedOnce()
    {
        var email = NewEmail();
        var eventId = Guid.NewGuid().ToString("N");
        var body = $$"""[{"email":"{{email}}","event":"bounce","sg_event_id":"{{eventId}}","timestamp":1}]""";

        var first = await PostWebhookAsync(body, Sign(body, DateTimeOffset.UtcNow));
        var again = await PostWebhookAsync(body, Sign(body, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(1, first.Body!["suppressed"]!.GetValue<int>());
        Assert.Equal(1, again.Body!["duplicates"]!.GetValue<int>());
        var suppression = await _backend.Table("NewsletterSuppressions").GetEntityAsync<SuppressionEntity>(SuppressionEntity.Partition, EmailKeyOf(email));
        Assert.Equal("bounce", suppression.Value.Reason);
    }

    [Fact]
    public async Task UnsignedForgedAndStaleWebhooksAreRefused()
    {
        var body = $$"""[{"email":"{{NewEmail()}}","event":"spamreport","sg_event_id":"{{Guid.NewGuid():N}}"}]""";
        var (signature, timestamp) = Sign(body, DateTimeOffset.UtcNow);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Convert.ToBase64String(otherKey.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(body, null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostWebhookAsync(body, (forged, timestamp))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostWebhookAsync(body + " ", (signature, timestamp))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostWebhookAsync(body, Sign(body, DateTimeOffset.UtcNow.AddHours(-1)))).Status);
    }

    private (string Signature, string Timestamp) Sign(string body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = fixture.WebhookKey.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return (Convert.ToBase64String(signature), timestamp);
    }

    private async Task<(HttpStatusCode Status, JsonObject? Body)> PostWebhookAsync(string body, (string Signature, string Timestamp)? signed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/newsletter/sendgrid/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signed is { } s)
        {
            request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature", s.Signature);
            request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", s.Timestamp);
        }

        using var response = await _backend.Client.SendAsync(request);
        var json = response.Content.Headers.ContentLength is > 0 ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        if (!response.IsSuccessStatusCode)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, json);
    }

    private async Task<string?> StatusOfAsync(string email)
    {
        var table = _backend.Table("NewsletterSubscribers");
        await table.CreateIfNotExistsAsync();
        var found = await table.GetEntityIfExistsAsync<SubscriberEntity>(SubscriberEntity.Partition, EmailKeyOf(email));
        return found.HasValue ? found.Value!.Status : null;
    }
}
