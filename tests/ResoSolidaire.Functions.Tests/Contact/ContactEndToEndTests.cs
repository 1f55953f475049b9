using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Contact;

/// <summary>The contact form through the local host and the real worker, with Azurite and the mail sink.</summary>
[Collection(FormsBackendGroup.Name)]
public sealed class ContactEndToEndTests(FormsBackend forms)
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(15);

    private static string Message(string email, string topic = "information", string website = "", string text = "Bonjour, quels sont les horaires de la permanence ?") =>
        JsonSerializer.Serialize(new { name = "Camille Martin", email, topic, message = text, consent = true, website });

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task AValidMessageAnswers201WithItsReferenceAndBothMailsReachTheSink()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();

        using var response = await client.PostAsync("api/contact", FormsBackend.Json(Message(email, topic: "presse")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var reference = receipt["reference"]!.GetValue<string>();
        Assert.Matches(@"^CT-\d{4}-\d{4}$", reference);
        Assert.Contains("accusé de réception", receipt["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["message", "reference"], receipt.Select(p => p.Key).Order(StringComparer.Ordinal));
        var row = Assert.Single(await forms.RowsWithEmailAsync(ContactForm.TableName, email));
        Assert.Equal(reference, row.RowKey);
        Assert.Equal("2026-01", row.GetString("ConsentTextVersion"));
        var ack = await forms.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), MailWait);
        var staff = await forms.Backend.Mail.Messages.WaitForAsync(m => m.Subject.Contains(reference, StringComparison.Ordinal) && m.IsAddressedTo("presse@reso-solidaire.example"), MailWait);
        Assert.True(ack.IsValid);
        Assert.True(staff.IsValid);
        Assert.Contains(reference, ack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlainHtmlFormPostIsRedirectedToTheThankYouPageWith303()
    {
        using var client = forms.NewClient(accept: "text/html");
        using var body = new FormUrlEncodedContent([
            new("name", "Camille Martin"), new("email", FormsBackend.NewEmail()), new("topic", "adhesion"),
            new("message", "Nous souhaitons adhérer au réseau."), new("consent", "on"), new("website", ""),
        ]);

        using var response = await client.PostAsync("api/contact", body);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Matches(@"^http://localhost:8080/merci\.html\?formulaire=contact&reference=CT-\d{4}-\d{4}$", response.Headers.Location!.AbsoluteUri);
    }

    [Fact]
    public async Task APlainHtmlFormPostWithErrorsGetsAFrenchPageListingThem()
    {
        using var client = forms.NewClient(accept: "text/html");
        using var body = new FormUrlEncodedContent([new("name", ""), new("email", "camille@exemple"), new("topic", "information"), new("message", "Bonjour à tous !")]);

        using var response = await client.PostAsync("api/contact", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"fr\">", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Nom</strong> : Le nom est obligatoire.", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Adresse e-mail</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Consentement</strong>", page, StringComparison.Ordinal);
        Assert.Contains("Revenir au formulaire", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidJsonFieldsAnswerAFrenchValidationProblemKeyedByField()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();

        using var response = await client.PostAsync("api/contact", FormsBackend.Json(JsonSerializer.Serialize(new { name = "C", email = "pas-une-adresse", topic = "spam", message = "court", consent = false, phone = "12" })));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("Certaines informations sont manquantes ou invalides.", problem["title"]!.GetValue<string>());
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["consent", "email", "message", "phone", "topic"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("n'est pas valide", errors["email"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("au moins 10 caractères", errors["message"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("pas-une-adresse", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(await forms.RowsWithEmailAsync(ContactForm.TableName, email));
    }

    [Fact]
    public async Task JsonWithAnUnknownPropertyIsRefused()
    {
        using var client = forms.NewClient();
        var json = JsonNode.Parse(Message(FormsBackend.NewEmail()))!.AsObject();
        json["role"] = "admin";

        using var response = await client.PostAsync("api/contact", FormsBackend.Json(json.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Ce champ n'est pas attendu.", (await ProblemAsync(response))["errors"]!["role"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedJsonIsRefusedWithAProblem()
    {
        using var client = forms.NewClient();

        using var response = await client.PostAsync("api/contact", FormsBackend.Json("{\"name\": "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("La demande est illisible.", (await ProblemAsync(response))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFilledHoneypotAnswersLikeSuccessButNothingIsStoredOrMailed()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();

        using var response = await client.PostAsync("api/contact", FormsBackend.Json(Message(email, website: "https://casino.example")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches(@"^CT-\d{4}-\d{4}$", (await response.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>());
        Assert.Empty(await forms.RowsWithEmailAsync(ContactForm.TableName, email));
        await Task.Delay(500);
        Assert.DoesNotContain(forms.Backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo(email));
    }

    [Fact]
    public async Task AClientWhoseAcceptedMessagesAreSpentGets429WithRetryAfterAndAFrenchMessage()
    {
        using var client = forms.NewClient();
        for (var i = 0; i < FormsBackend.RateLimitPermits; i++)
        {
            using var allowed = await client.PostAsync("api/contact", FormsBackend.Json(Message(FormsBackend.NewEmail())));
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        }

        using var response = await client.PostAsync("api/contact", FormsBackend.Json(Message(FormsBackend.NewEmail())));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Matches("Merci de réessayer dans (une minute|[0-9]+ minutes)\\.", (await ProblemAsync(response))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task SixInvalidPostsThenAValidOneTheValidOneIsAccepted()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();
        for (var i = 0; i < 6; i++)
        {
            using var invalid = await client.PostAsync("api/contact", FormsBackend.Json(Message(i % 2 == 0 ? "camille@exemple" : email, text: "Court")));
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        using var valid = await client.PostAsync("api/contact", FormsBackend.Json(Message(email)));

        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
        Assert.Single(await forms.RowsWithEmailAsync(ContactForm.TableName, email));
    }

    [Fact]
    public async Task AFloodOfRefusedPostsIsStillCutAndNothingIsStored()
    {
        using var client = forms.NewClient(accept: "text/html");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 32; i++)
        {
            using var body = new FormUrlEncodedContent([new("name", "Robot"), new("email", $"robot{i}@exemple"), new("message", "achetez")]);
            using var response = await client.PostAsync("api/contact", body);
            statuses.Add(response.StatusCode);
        }

        using var valid = await client.PostAsync("api/contact", FormsBackend.Json(Message(FormsBackend.NewEmail())));

        // local.settings.sample.json: 30 refused posts per client, form and 10 minutes.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, 30), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        Assert.NotNull(valid.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ABodyOverTheCapAnswers413()
    {
        using var client = forms.NewClient();

        using var response = await client.PostAsync("api/contact", FormsBackend.Json(Message(FormsBackend.NewEmail(), text: new string('a', 70_000))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("La demande est trop volumineuse.", (await ProblemAsync(response))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task AContentTypeTheFormDoesNotTakeAnswers415()
    {
        using var client = forms.NewClient();

        using var response = await client.PostAsync("api/contact", new StringContent("Bonjour", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("JSON", (await ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameMessagePostedTwiceGetsTheFirstReferenceIsStoredOnceAndMailedOnce()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();

        using var first = await client.PostAsync("api/contact", FormsBackend.Json(Message(email)));
        using var second = await client.PostAsync("api/contact", FormsBackend.Json(Message(email)));

        var reference = (await first.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
        Assert.Equal(reference, (await second.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>());
        Assert.Single(await forms.RowsWithEmailAsync(ContactForm.TableName, email));
        await forms.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), MailWait);
        await Task.Delay(300);
        Assert.Single(forms.Backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo(email));
        Assert.Single(forms.Backend.Mail.Messages.Snapshot(), m => m.Subject.Contains(reference, StringComparison.Ordinal) && m.IsAddressedTo("equipe@reso-solidaire.example"));
    }

    [Fact]
    public async Task APreflightFromTheWebsiteIsAllowedAndOneFromElsewhereIsNot()
    {
        using var client = forms.NewClient();

        using var allowed = await client.SendAsync(Preflight("http://localhost:8080"));
        using var refused = await client.SendAsync(Preflight("https://evil.example"));

        Assert.True(allowed.IsSuccessStatusCode);
        Assert.Equal("http://localhost:8080", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        static HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "api/contact");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            return request;
        }
    }

    [Fact]
    public async Task WhenSendGridIsDownTheMessageIsAcceptedAndItsMailsLeaveOnceItIsBack()
    {
        using var client = forms.NewClient();
        var email = FormsBackend.NewEmail();
        var marker = $"Message d'essai {Guid.NewGuid():N} pour la panne.";
        forms.Backend.Mail.Faults.FailNext(503, 2);

        using var response = await client.PostAsync("api/contact", FormsBackend.Json(Message(email, text: marker)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reference = (await response.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
        Assert.True(Assert.Single(await forms.RowsWithEmailAsync(ContactForm.TableName, email)).GetBoolean("MailsQueued"));
        Assert.DoesNotContain(forms.Backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo(email));

        // Time passes for the two waiting mails (their retry is due), then the timer runs twice.
        var outbox = forms.Backend.Table("Outbox");
        foreach (var key in new[] { ContactMails.AcknowledgementKey(reference), ContactMails.StaffKey(reference) })
        {
            var row = (await outbox.GetEntityAsync<TableEntity>("mail", Functions.Platform.Storage.KeySafe.Encode("k-" + key))).Value;
            Assert.Equal("Pending", row.GetString("Status"));
            row["NextAttemptAt"] = DateTimeOffset.UtcNow.AddMinutes(-1);
            await outbox.UpdateEntityAsync(row, row.ETag);
        }

        await forms.Backend.RunFunctionAsync("RetryOutbox");
        await forms.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email), MailWait);
        await forms.Backend.Mail.Messages.WaitForAsync(m => m.Text?.Contains(marker, StringComparison.Ordinal) == true, MailWait);
        await forms.Backend.RunFunctionAsync("RetryOutbox");
        await Task.Delay(500);
        Assert.Single(forms.Backend.Mail.Messages.Snapshot(), m => m.IsAddressedTo(email));
        Assert.Single(forms.Backend.Mail.Messages.Snapshot(), m => m.Text?.Contains(marker, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ASubmissionStoredWithoutItsMailsGetsThemFromTheSweepTimer()
    {
        var email = FormsBackend.NewEmail();
        var reference = $"CT-2026-9{Random.Shared.Next(100, 999)}";
        var message = ContactMessage.Validate(ContactMessageValidationTests.Valid() with { Email = email }, new Functions.Platform.Forms.FieldErrors())!;
        var stranded = ContactMessageEntity.From(message, "hash", reference, DateTimeOffset.UtcNow.AddMinutes(-5), "2026-01");
        var table = forms.Backend.Table(ContactForm.TableName);
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(stranded);

        await forms.Backend.RunFunctionAsync("SweepFormMails");

        await forms.Backend.Mail.Messages.WaitForAsync(m => m.IsAddressedTo(email) && m.Subject.Contains(reference, StringComparison.Ordinal), MailWait);
        await Eventually.TrueAsync(
            async () => (await table.GetEntityAsync<TableEntity>(stranded.PartitionKey, reference)).Value.GetBoolean("MailsQueued") == true,
            what: "the submission marked as mailed");
    }
}
