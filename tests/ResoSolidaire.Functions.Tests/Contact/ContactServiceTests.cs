using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Contact;

/// <summary>The contact service against Azurite and a mail sink, without the host.</summary>
public sealed class ContactServiceTests
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(10);

    internal static string ValidJson(string message = "Bonjour, nous aimerions adhérer au réseau cette année.", string topic = "presse", string website = "") =>
        JsonSerializer.Serialize(new
        {
            name = "Camille <b>Martin</b>",
            email = "camille.martin@exemple.fr",
            topic,
            message,
            consent = true,
            website,
        });

    private static async Task<List<ContactMessageEntity>> StoredAsync(FormsTestServices services)
    {
        var stored = new List<ContactMessageEntity>();
        try
        {
            await foreach (var row in services.Table(ContactForm.TableName).QueryAsync<ContactMessageEntity>(e => e.PartitionKey == SubmissionLedger.Partition))
            {
                if (row.RowKey.StartsWith(ContactForm.ReferencePrefix, StringComparison.Ordinal))
                {
                    stored.Add(row);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table: nothing was ever stored.
        }

        return stored;
    }

    [Fact]
    public async Task AValidMessageIsStoredWithItsConsentRecordThenAcknowledgedAndNotified()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<ContactService>().SubmitAsync(services.Json(ValidJson()), default);

        Assert.Matches(@"^CT-\d{4}-0001$", result.Receipt!.Reference);
        var row = Assert.Single(await StoredAsync(services));
        Assert.Equal(result.Receipt.Reference, row.Reference);
        Assert.Equal("contact", row.ConsentForm);
        Assert.Equal("2026-01", row.ConsentTextVersion);
        Assert.NotEqual(default, row.ConsentAt);
        Assert.True(row.MailsQueued);
        var ack = await services.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("camille.martin@exemple.fr"), MailWait);
        var staff = await services.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("presse@reso-solidaire.example"), MailWait);
        Assert.Contains(result.Receipt.Reference, ack.Subject, StringComparison.Ordinal);
        Assert.Contains("Camille &lt;b&gt;Martin&lt;/b&gt;", ack.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Martin", staff.Html, StringComparison.Ordinal);
        Assert.Contains("adhérer au réseau", staff.Text, StringComparison.Ordinal);
        Assert.Equal("camille.martin@exemple.fr", staff.ReplyTo);
    }

    [Fact]
    public async Task StaffRecipientsFallBackToTheDefaultMailboxWhenTheTopicHasNone()
    {
        await using var services = await FormsTestServices.StartAsync();

        await services.Get<ContactService>().SubmitAsync(services.Json(ValidJson(topic: "autre")), default);

        await services.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("equipe@reso-solidaire.example"), MailWait);
    }

    [Fact]
    public async Task AnInvalidMessageStoresAndMailsNothing()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<ContactService>().SubmitAsync(services.Json("""{"name":"","email":"pas-une-adresse","consent":false}"""), default);

        Assert.Equal(StatusCodes.Status400BadRequest, result.Rejection!.Status);
        Assert.Equal(["consent", "email", "message", "name", "topic"], result.Rejection.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await StoredAsync(services));
        Assert.Equal(0, services.Mail.Messages.Count);
    }

    [Fact]
    public async Task AFilledHoneypotLooksLikeSuccessButStoresAndMailsNothing()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<ContactService>().SubmitAsync(services.Json(ValidJson(website: "http://spam.example")), default);

        Assert.Matches(@"^CT-\d{4}-\d{4}$", result.Receipt!.Reference);
        Assert.Empty(await StoredAsync(services));
        Assert.Equal(0, services.Mail.Messages.Count);
    }

    [Fact]
    public async Task TheSameMessagePostedTwiceGetsTheFirstReferenceAndIsStoredAndMailedOnce()
    {
        await using var services = await FormsTestServices.StartAsync();
        var service = services.Get<ContactService>();

        var first = await service.SubmitAsync(services.Json(ValidJson()), default);
        var second = await service.SubmitAsync(services.Json(ValidJson()), default);

        Assert.Equal(first.Receipt!.Reference, second.Receipt!.Reference);
        Assert.Single(await StoredAsync(services));
        await services.Mail.Messages.WaitForAsync(m => m.IsAddressedTo("presse@reso-solidaire.example"), MailWait);
        Assert.Equal(2, services.Mail.Messages.Count);
    }

    [Fact]
    public async Task IdenticalMessagesPostedAtTheSameMomentAreStoredOnce()
    {
        await using var services = await FormsTestServices.StartAsync();
        var service = services.Get<ContactService>();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => service.SubmitAsync(services.Json(ValidJson()), default)));

        Assert.Single(results.Select(r => r.Receipt!.Reference).Distinct());
        Assert.Single(await StoredAsync(services));
    }

    [Fact]
    public async Task TheSameMessageAfterTheDuplicateWindowIsANewSubmission()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var services = await FormsTestServices.StartAsync(time: time);
        var service = services.Get<ContactService>();

        var first = await service.SubmitAsync(services.Json(ValidJson()), default);
        time.Advance(TimeSpan.FromMinutes(11));
        var later = await service.SubmitAsync(services.Json(ValidJson()), default);

        Assert.Equal("CT-2026-0001", first.Receipt!.Reference);
        Assert.Equal("CT-2026-0002", later.Receipt!.Reference);
    }

    [Fact]
    public async Task AClientWhoseAcceptedMessagesAreSpentIsToldToWaitWhileOthersAreNot()
    {
        await using var services = await FormsTestServices.StartAsync(new Dictionary<string, string?> { ["Forms:RateLimitPermits"] = "2" });
        var service = services.Get<ContactService>();

        var first = await service.SubmitAsync(services.Json(ValidJson(message: "Premier message pour l'équipe."), client: "198.51.100.1"), default);
        var second = await service.SubmitAsync(services.Json(ValidJson(message: "Deuxième message pour l'équipe."), client: "198.51.100.1"), default);
        var third = await service.SubmitAsync(services.Json(ValidJson(message: "Troisième message pour l'équipe."), client: "198.51.100.1"), default);
        var other = await service.SubmitAsync(services.Json(ValidJson(message: "Troisième message pour l'équipe."), client: "198.51.100.2"), default);

        Assert.NotNull(first.Receipt);
        Assert.NotNull(second.Receipt);
        Assert.Equal(StatusCodes.Status429TooManyRequests, third.Rejection!.Status);
        Assert.InRange(third.Rejection.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Contains("Merci de réessayer dans", third.Rejection.Detail, StringComparison.Ordinal);
        Assert.NotNull(other.Receipt);
        Assert.Equal(3, (await StoredAsync(services)).Count);
    }

    [Fact]
    public async Task RefusedPostsDoNotSpendTheAcceptedBudget()
    {
        await using var services = await FormsTestServices.StartAsync(new Dictionary<string, string?> { ["Forms:RateLimitPermits"] = "2", ["Forms:RateLimitRejectedPermits"] = "10" });
        var service = services.Get<ContactService>();

        for (var i = 0; i < 6; i++)
        {
            var refused = await service.SubmitAsync(services.Json("{}", client: "198.51.100.3"), default);
            Assert.Equal(StatusCodes.Status400BadRequest, refused.Rejection!.Status);
        }

        var honeypot = await service.SubmitAsync(services.Json(ValidJson(website: "https://casino.example"), client: "198.51.100.3"), default);
        var valid = await service.SubmitAsync(services.Json(ValidJson(), client: "198.51.100.3"), default);
        var again = await service.SubmitAsync(services.Json(ValidJson(message: "Un second message, bien différent."), client: "198.51.100.3"), default);

        Assert.NotNull(honeypot.Receipt);
        Assert.NotNull(valid.Receipt);
        Assert.NotNull(again.Receipt);
        Assert.Equal(2, (await StoredAsync(services)).Count);
    }

    [Fact]
    public async Task AFloodOfRefusedPostsIsCutAtTheRefusedBudgetUntilTheWindowEnds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var services = await FormsTestServices.StartAsync(new Dictionary<string, string?> { ["Forms:RateLimitRejectedPermits"] = "5", ["Forms:RateLimitWindowSeconds"] = "600" }, time);
        var service = services.Get<ContactService>();

        var statuses = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await service.SubmitAsync(services.Json("{}", client: "198.51.100.4"), default)).Rejection!.Status);
        }

        var validDuringTheFlood = await service.SubmitAsync(services.Json(ValidJson(), client: "198.51.100.4"), default);
        time.Advance(TimeSpan.FromMinutes(10));
        var validAfterTheWindow = await service.SubmitAsync(services.Json(ValidJson(), client: "198.51.100.4"), default);

        Assert.Equal([400, 400, 400, 400, 400, 429, 429, 429], statuses);
        Assert.Equal(StatusCodes.Status429TooManyRequests, validDuringTheFlood.Rejection!.Status);
        Assert.Equal(TimeSpan.FromMinutes(10), validDuringTheFlood.Rejection.RetryAfter);
        Assert.NotNull(validAfterTheWindow.Receipt);
    }

    [Fact]
    public async Task ABodyOverItsCapIsRefusedBeforeItIsRead()
    {
        await using var services = await FormsTestServices.StartAsync(new Dictionary<string, string?> { ["Forms:MaxBodyBytes"] = "2048" });

        var result = await services.Get<ContactService>().SubmitAsync(services.Json(ValidJson(message: new string('a', 3000))), default);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, result.Rejection!.Status);
        Assert.Empty(await StoredAsync(services));
    }

    [Fact]
    public async Task AContentTypeTheFormDoesNotTakeIsRefused()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<ContactService>().SubmitAsync(services.Request("text/plain", "Bonjour"u8.ToArray()), default);

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, result.Rejection!.Status);
    }

    [Fact]
    public async Task APlainHtmlFormPostIsAcceptedWithItsCheckboxes()
    {
        await using var services = await FormsTestServices.StartAsync();

        var result = await services.Get<ContactService>().SubmitAsync(
            services.UrlEncoded([
                new("name", "Camille Martin"), new("email", "camille@exemple.fr"), new("topic", "information"),
                new("message", "Quels sont vos horaires d'ouverture ?"), new("consent", "on"), new("newsletter", "on"),
                new("website", ""), new(FormResponder.RedirectField, "http://localhost:8080/merci.html"),
            ]),
            default);

        Assert.Equal(BodyKind.UrlEncoded, result.Kind);
        Assert.Equal("http://localhost:8080/merci.html", result.Redirect);
        Assert.True(Assert.Single(await StoredAsync(services)).Newsletter);
    }

    [Fact]
    public async Task MailsOfASubmissionStoredWithoutThemAreQueuedByTheSweep()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var services = await FormsTestServices.StartAsync(time: time);
        var message = ContactMessage.Validate(ContactMessageValidationTests.Valid(), new FieldErrors())!;
        var entity = ContactMessageEntity.From(message, "hash", "CT-2026-0099", time.GetUtcNow(), "2026-01");
        var ledger = services.Get<SubmissionLedger>();
        await ledger.StoreAsync(ContactForm.TableName, entity, "f", default);
        time.Advance(TimeSpan.FromMinutes(3));

        var swept = await services.Get<ContactService>().SweepAsync(default);
        var again = await services.Get<ContactService>().SweepAsync(default);

        Assert.Equal(1, swept);
        Assert.Equal(0, again);
        Assert.True((await ledger.GetAsync<ContactMessageEntity>(ContactForm.TableName, "CT-2026-0099", default))!.MailsQueued);
        Assert.Equal(OutboxStatus.Sent, (await services.Get<MailOutbox>().FindAsync(ContactMails.AcknowledgementKey("CT-2026-0099"), default))!.Status);
        Assert.NotNull(await services.Get<MailOutbox>().FindAsync(ContactMails.StaffKey("CT-2026-0099"), default));
    }

    [Fact]
    public async Task WhenSendGridIsDownTheMessageIsAcceptedAndItsMailsWaitInTheOutbox()
    {
        await using var services = await FormsTestServices.StartAsync();
        services.Mail.Faults.FailUntilCleared(503);

        var result = await services.Get<ContactService>().SubmitAsync(services.Json(ValidJson()), default);

        var outbox = services.Get<MailOutbox>();
        var ack = await outbox.FindAsync(ContactMails.AcknowledgementKey(result.Receipt!.Reference), default);
        Assert.Equal(OutboxStatus.Pending, ack!.Status);
        Assert.Equal(0, services.Mail.Messages.Count);
    }
}
