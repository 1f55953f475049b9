using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Inbox;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Platform.Audit;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Functions.Platform.PersonalData;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Functions.Porteurs.FollowUp;
using ResoSolidaire.Functions.Privacy;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Privacy;

/// <summary>
/// The retention purge against Azurite with a fake clock: for each duration, a record a day past it goes and a
/// record a day short of it stays. The clock stands two days ahead of the real one, because Table storage
/// stamps rows (the handled SendGrid events are purged by that stamp) with the real time.
/// </summary>
public sealed class RetentionPurgeTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task ThePurgeRespectsEachRetentionDuration()
    {
        var now = DateTimeOffset.UtcNow.AddDays(2);
        var clock = new FakeTimeProvider(now);
        await using var services = await FormsTestServices.StartAsync(time: clock);
        var retention = new RetentionOptions();

        async Task<TableClient> Table(string name)
        {
            var table = services.Table(name);
            await table.CreateIfNotExistsAsync();
            return table;
        }

        var contact = await Table(ContactForm.TableName);
        await contact.AddEntityAsync(Message("CT-2020-0001", now - retention.ContactMessages - Day));
        await contact.AddEntityAsync(Message("CT-2020-0002", now - retention.ContactMessages + Day));
        await contact.AddEntityAsync(new DuplicateMarkerEntity { PartitionKey = SubmissionLedger.Partition, RowKey = "dedup-old-1", Reference = "CT-2020-0002", CreatedAt = now - retention.DedupRecords - Day });
        await contact.AddEntityAsync(new DuplicateMarkerEntity { PartitionKey = SubmissionLedger.Partition, RowKey = "dedup-new-1", Reference = "CT-2020-0002", CreatedAt = now - TimeSpan.FromHours(1) });
        var handling = await Table(ContactInbox.TableName);
        await handling.AddEntityAsync(new HandlingEntity { RowKey = "CT-2020-0001", HandledAt = now - (2 * retention.ContactMessages), HandledBy = "staff" });
        await handling.AddEntityAsync(new HandlingEntity { RowKey = "CT-2020-0002", HandledAt = now - retention.ContactMessages, HandledBy = "staff" });

        // Porteurs: from the last contact, whichever is later of the intake, the case's state and its timeline.
        var intakes = await Table(PorteurForm.TableName);
        var cases = await Table(CaseStore.TableName);
        var longAgo = now - retention.Porteurs - TimeSpan.FromDays(400);
        await intakes.AddEntityAsync(Intake("PP-2020-0001", longAgo));
        await cases.AddEntityAsync(new CaseStateEntity { PartitionKey = "PP-2020-0001", Phase = CasePhases.Clos, UpdatedAt = now - retention.Porteurs - Day, UpdatedBy = "staff" });
        await intakes.AddEntityAsync(Intake("PP-2020-0002", longAgo));
        await cases.AddEntityAsync(new CaseEventEntity { PartitionKey = "PP-2020-0002", RowKey = "t-1", Kind = CaseEventKinds.Note, At = now - retention.Porteurs + Day, By = "staff" });
        await intakes.AddEntityAsync(Intake("PP-2020-0003", now - retention.Porteurs + Day));
        var attachments = services.Container(AttachmentStore.ContainerName);
        await attachments.CreateIfNotExistsAsync();
        await attachments.UploadBlobAsync("PP-2020-0001/1.pdf", BinaryData.FromBytes(SampleFiles.Pdf()));
        await attachments.UploadBlobAsync("PP-2020-0002/1.pdf", BinaryData.FromBytes(SampleFiles.Pdf()));

        var subscribers = await Table(NewsletterStorage.Subscribers);
        await subscribers.AddEntityAsync(Subscriber("pending-old", "Pending", now - retention.UnconfirmedSubscriptions - Day));
        await subscribers.AddEntityAsync(Subscriber("pending-new", "Pending", now - retention.UnconfirmedSubscriptions + TimeSpan.FromHours(1)));
        await subscribers.AddEntityAsync(Subscriber("confirmed-old", "Confirmed", now - TimeSpan.FromDays(400)));
        var events = await Table(NewsletterStorage.WebhookEvents);
        await events.AddEntityAsync(new TableEntity("sg-event-1", "") { ["Event"] = "delivered" });

        var limits = await Table("FormRateLimits");
        await limits.AddEntityAsync(new RateLimitEntity { PartitionKey = "client-a", RowKey = "contact-1", Accepted = 1, WindowEnd = now - retention.RateLimitRecords - Day });
        await limits.AddEntityAsync(new RateLimitEntity { PartitionKey = "client-b", RowKey = "contact-2", Accepted = 1, WindowEnd = now - TimeSpan.FromHours(12) });

        var outbox = await Table("Outbox");
        await outbox.AddEntityAsync(Mail("sent-old", OutboxStatus.Sent, now - retention.OutboxSent - Day));
        await outbox.AddEntityAsync(Mail("sent-new", OutboxStatus.Sent, now - retention.OutboxSent + Day));
        await outbox.AddEntityAsync(Mail("pending-old", OutboxStatus.Pending, null));
        await outbox.AddEntityAsync(Mail("failed-old", OutboxStatus.Failed, null, createdAt: now - retention.OutboxFailed - Day, people: "hash-f"));
        await outbox.AddEntityAsync(new TableEntity("mail", OutboxEntity.PersonRowKey("hash-f", "failed-old")) { ["Mail"] = "failed-old" });
        await outbox.AddEntityAsync(Mail("failed-new", OutboxStatus.Failed, null, createdAt: now - retention.OutboxFailed + Day));
        await outbox.AddEntityAsync(Mail("uncertain-old", OutboxStatus.Uncertain, null, createdAt: now - retention.OutboxFailed - Day));
        await outbox.AddEntityAsync(Mail("uncertain-new", OutboxStatus.Uncertain, null, createdAt: now - retention.OutboxFailed + Day));

        var audit = await Table(AuditLog.TableName);
        await audit.AddEntityAsync(Audit("old", now - retention.AuditLog - Day));
        await audit.AddEntityAsync(Audit("new", now - retention.AuditLog + Day));

        var purged = await services.Get<PrivacyService>().PurgeAsync(default);

        Assert.Equal(["CT-2020-0002", "dedup-new-1"], await KeysAsync(contact));
        Assert.Equal(["CT-2020-0002"], await KeysAsync(handling));
        Assert.Equal(["PP-2020-0002", "PP-2020-0003"], await KeysAsync(intakes));
        Assert.Equal(["t-1"], await KeysAsync(cases));
        Assert.False(await attachments.GetBlobClient("PP-2020-0001/1.pdf").ExistsAsync());
        Assert.True(await attachments.GetBlobClient("PP-2020-0002/1.pdf").ExistsAsync());
        Assert.Equal(["confirmed-old", "pending-new"], await KeysAsync(subscribers));
        Assert.Empty(await KeysAsync(events));
        Assert.Equal(["contact-2"], await KeysAsync(limits));
        Assert.Equal(["failed-new", "pending-old", "sent-new", "uncertain-new"], await KeysAsync(outbox));
        var auditLeft = new List<string>();
        await foreach (var row in audit.QueryAsync<AuditEntity>())
        {
            auditLeft.Add(row.Principal);
        }

        Assert.Contains("new", auditLeft);
        Assert.DoesNotContain("old", auditLeft);
        Assert.Equal(1, purged["contact"].Single().Count);
        Assert.Equal(1, purged["porteurs"].Single().Count);
        Assert.Equal([1, 2], purged["courriels"].Select(c => c.Count));
    }

    private static async Task<List<string>> KeysAsync(TableClient table)
    {
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            keys.Add(row.RowKey.Length > 0 ? row.RowKey : row.PartitionKey);
        }

        return [.. keys.Where(k => k != "state").Order(StringComparer.Ordinal)];
    }

    private static ContactMessageEntity Message(string reference, DateTimeOffset at) => new()
    {
        RowKey = reference,
        Reference = reference,
        CreatedAt = at,
        Name = "Camille Martin",
        Email = "camille@exemple.fr",
        Topic = "information",
        Message = "Bonjour",
        ConsentTextVersion = "2026-01",
        ConsentAt = at,
        MailsQueued = true,
    };

    private static PorteurEntity Intake(string reference, DateTimeOffset at) => new()
    {
        RowKey = reference,
        Reference = reference,
        CreatedAt = at,
        FirstName = "Yann",
        LastName = "Le Goff",
        Email = "yann@exemple.fr",
        ConsentAt = at,
        MailsQueued = true,
    };

    private static TableEntity Subscriber(string key, string status, DateTimeOffset at) =>
        new("subscriber", key) { ["Email"] = key + "@exemple.fr", ["Status"] = status, ["CreatedAt"] = at, ["ConsentAt"] = at };

    private static OutboxEntity Mail(string key, string status, DateTimeOffset? sentAt, DateTimeOffset? createdAt = null, string? people = null) => new()
    {
        RowKey = key,
        Kind = "essai",
        Status = status,
        People = people,
        CreatedAt = createdAt ?? sentAt ?? DateTimeOffset.UtcNow,
        NextAttemptAt = DateTimeOffset.UnixEpoch,
        SentAt = sentAt,
    };

    private static AuditEntity Audit(string principal, DateTimeOffset at) => new()
    {
        PartitionKey = at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        RowKey = principal,
        At = at,
        Principal = principal,
        Action = AuditActions.Export,
    };
}
