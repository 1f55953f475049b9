using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Agenda;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Platform.PersonalData;
using ResoSolidaire.Functions.Platform.Staff;
using ResoSolidaire.Functions.Privacy;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Privacy;

/// <summary>
/// The retention purge of the agenda's proposers, the newsletter's delivery ledgers and unsubscribed rows, and
/// the directory's persons, against Azurite with a fake clock: for each duration a record a day past it goes
/// (or, for the directory, is flagged) and a record a day short of it stays.
/// </summary>
public sealed class RetentionOfContactsTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task AgendaProposersGoSomeTimeAfterTheEventOrAfterARefusal()
    {
        var now = DateTimeOffset.UtcNow.AddDays(2);
        await using var services = await FormsTestServices.StartAsync(time: new FakeTimeProvider(now));
        var retention = new RetentionOptions();
        var events = await TableAsync(services, AgendaStorage.Events);
        var lastKept = LocalDates.DayOf(now - retention.AgendaProposerContacts);
        var past = lastKept.AddDays(-1);
        var later = LocalDates.Today(new FakeTimeProvider(now)).AddDays(30);
        await events.AddEntityAsync(Event("approved-past", AgendaStatus.Approved, past, null, now));
        await events.AddEntityAsync(Event("approved-short", AgendaStatus.Approved, lastKept, null, now));
        await events.AddEntityAsync(Event("approved-ends-short", AgendaStatus.Approved, past.AddDays(-5), lastKept, now));
        await events.AddEntityAsync(Event("pending-past", AgendaStatus.Pending, past, null, null));
        await events.AddEntityAsync(Event("pending-short", AgendaStatus.Pending, lastKept, null, null));
        await events.AddEntityAsync(Event("rejected-old", AgendaStatus.Rejected, later, null, now - retention.RejectedAgendaProposals - Day));
        await events.AddEntityAsync(Event("rejected-new", AgendaStatus.Rejected, later, null, now - retention.RejectedAgendaProposals + Day));

        var purged = await services.Get<PrivacyService>().PurgeAsync(default);

        var left = await events.QueryAsync<AgendaEventEntity>().ToDictionaryAsync(e => e.RowKey, StringComparer.Ordinal);
        Assert.Equal(["approved-ends-short", "approved-past", "approved-short", "pending-short", "rejected-new"], left.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("", ""), (left["approved-past"].ContactName, left["approved-past"].ContactEmail));
        Assert.Equal("Un titre", left["approved-past"].Title);
        Assert.Equal("yann@exemple.fr", left["approved-short"].ContactEmail);
        Assert.Equal("yann@exemple.fr", left["approved-ends-short"].ContactEmail);
        Assert.Equal(3, purged["agenda"].Sum(c => c.Count));
    }

    [Fact]
    public async Task DeliveryLedgersGoAfterTheirDurationAndTheEditionsCountsStay()
    {
        var now = DateTimeOffset.UtcNow.AddDays(2);
        await using var services = await FormsTestServices.StartAsync(time: new FakeTimeProvider(now));
        var retention = new RetentionOptions();
        var editions = await TableAsync(services, NewsletterStorage.Editions);
        var ledger = await TableAsync(services, NewsletterStorage.Ledger);
        await editions.AddEntityAsync(Edition("lettre-old", now - retention.DeliveryLedgers - Day));
        await editions.AddEntityAsync(Edition("lettre-old-b", now - retention.DeliveryLedgers + Day));
        await ledger.AddEntityAsync(Recipient("lettre-old.f1-00000", "a"));
        await ledger.AddEntityAsync(Recipient("lettre-old.f1-00001", "b"));
        await ledger.AddEntityAsync(Recipient("lettre-old.f0-00000", "c")); // an abandoned freeze of the same edition
        await ledger.AddEntityAsync(Recipient("lettre-old-b.f1-00000", "d"));

        var purged = await services.Get<PrivacyService>().PurgeAsync(default);

        Assert.Equal(["lettre-old-b.f1-00000"], await ledger.QueryAsync<TableEntity>().Select(r => r.PartitionKey).ToListAsync());
        var old = (await editions.GetEntityAsync<EditionEntity>(EditionEntity.Partition, "lettre-old")).Value;
        Assert.NotNull(old.LedgerPurgedAt);
        Assert.Equal((3, 1), (old.Sent, old.Failed));
        Assert.Null((await editions.GetEntityAsync<EditionEntity>(EditionEntity.Partition, "lettre-old-b")).Value.LedgerPurgedAt);
        Assert.Equal(3, purged["newsletter"].Single(c => c.What == "destinataires d'envois passés").Count);
    }

    [Fact]
    public async Task AnUnsubscribedRowGoesAfterItsDurationAndItsOptOutStays()
    {
        var now = DateTimeOffset.UtcNow.AddDays(2);
        await using var services = await FormsTestServices.StartAsync(time: new FakeTimeProvider(now));
        var retention = new RetentionOptions();
        var subscribers = await TableAsync(services, NewsletterStorage.Subscribers);
        await subscribers.AddEntityAsync(Unsubscribed("unsubscribed-old", now - retention.UnsubscribedSubscribers - Day));
        await subscribers.AddEntityAsync(Unsubscribed("unsubscribed-new", now - retention.UnsubscribedSubscribers + Day));

        await services.Get<PrivacyService>().PurgeAsync(default);

        Assert.Equal(["unsubscribed-new"], await subscribers.QueryAsync<TableEntity>().Select(r => r.RowKey).ToListAsync());
        Assert.True(await services.Get<SuppressionList>().IsSuppressedAsync("unsubscribed-old", default));
    }

    [Fact]
    public async Task PersonsWithoutConsentAreOptedOutOnceAndPersonsWithoutContactAreFlaggedForReview()
    {
        var now = DateTimeOffset.UtcNow.AddDays(2);
        await using var services = await FormsTestServices.StartAsync(time: new FakeTimeProvider(now));
        var retention = new RetentionOptions();
        var actors = await TableAsync(services, ActorStore.TableName);
        var recent = now - TimeSpan.FromDays(10);
        await actors.AddEntityAsync(Actor("a000000000000001", "individu", newsletter: true, consent: null, updatedAt: recent));
        await actors.AddEntityAsync(Actor("b000000000000002", "etudiant", newsletter: true, consent: "2026-03-14", updatedAt: recent));
        await actors.AddEntityAsync(Actor("c000000000000003", "association", newsletter: true, consent: null, updatedAt: recent));
        await actors.AddEntityAsync(Actor("d000000000000004", "individu", newsletter: false, consent: null, updatedAt: now - retention.DirectoryPersonsReview - Day));
        await actors.AddEntityAsync(Actor("e000000000000005", "individu", newsletter: false, consent: null, updatedAt: now - retention.DirectoryPersonsReview + Day));
        var consentedLater = LocalDates.ToText(DateOnly.FromDateTime((now - retention.DirectoryPersonsReview + (2 * Day)).UtcDateTime));
        await actors.AddEntityAsync(Actor("f000000000000006", "etudiant", newsletter: true, consent: consentedLater, updatedAt: now - retention.DirectoryPersonsReview - Day));
        await actors.AddEntityAsync(Actor("0000000000000007", "association", newsletter: true, consent: null, updatedAt: now - retention.DirectoryPersonsReview - Day));

        var first = await services.Get<PrivacyService>().PurgeAsync(default);
        var second = await services.Get<PrivacyService>().PurgeAsync(default);

        var stored = await actors.QueryAsync<ActorEntity>().ToDictionaryAsync(a => a.RowKey, StringComparer.Ordinal);
        Assert.False(stored["a000000000000001"].Newsletter);
        Assert.Equal(recent, stored["a000000000000001"].UpdatedAt); // the migration is not a staff change
        Assert.True(stored["b000000000000002"].Newsletter);
        Assert.True(stored["c000000000000003"].Newsletter);
        Assert.Equal(["d000000000000004"], stored.Values.Where(a => a.ReviewSince is not null).Select(a => a.RowKey));
        Assert.Equal(now, stored["d000000000000004"].ReviewSince);
        Assert.Equal([1, 1], first["annuaire"].Select(c => c.Count));
        Assert.Equal([0, 0], second["annuaire"].Select(c => c.Count));
    }

    private static async Task<TableClient> TableAsync(FormsTestServices services, string name)
    {
        var table = services.Table(name);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static AgendaEventEntity Event(string key, string status, DateOnly start, DateOnly? end, DateTimeOffset? moderatedAt) => new()
    {
        RowKey = key,
        Title = "Un titre",
        StartDate = LocalDates.ToText(start),
        EndDate = end is { } e ? LocalDates.ToText(e) : null,
        Place = "Salle des fêtes",
        Commune = "Rennes",
        Description = "Une rencontre.",
        Organiser = "Asso",
        ContactName = "Yann Le Goff",
        ContactEmail = "yann@exemple.fr",
        Status = status,
        ProposedAt = DateTimeOffset.UnixEpoch,
        ModeratedAt = moderatedAt,
        ConsentTextVersion = "2026-01",
    };

    private static EditionEntity Edition(string key, DateTimeOffset completedAt) => new()
    {
        RowKey = key,
        Subject = "La lettre",
        Status = EditionStatus.Sent,
        LedgerKey = key + ".f1",
        Sent = 3,
        Failed = 1,
        CompletedAt = completedAt,
        SendAtUtc = completedAt,
        CreatedAt = completedAt,
    };

    private static LedgerEntity Recipient(string partition, string key) => new()
    {
        PartitionKey = partition,
        RowKey = key,
        Email = key + "@exemple.fr",
        Name = "Abonné",
    };

    private static SubscriberEntity Unsubscribed(string key, DateTimeOffset at) => new()
    {
        RowKey = key,
        Email = key + "@exemple.fr",
        Status = SubscriberStatus.Unsubscribed,
        CreatedAt = at - TimeSpan.FromDays(100),
        ConsentAt = at - TimeSpan.FromDays(100),
        UnsubscribedAt = at,
    };

    private static ActorEntity Actor(string id, string kind, bool newsletter, string? consent, DateTimeOffset updatedAt) => new()
    {
        PartitionKey = ActorEntity.PartitionOf(id),
        RowKey = id,
        Name = "Personne " + id,
        NameKey = "personne " + id,
        Kind = kind,
        Emails = id + "@exemple.fr",
        Newsletter = newsletter,
        ConsentDate = consent,
        ConsentSource = consent is null ? null : "bulletin papier, AG 2026",
        ConsentTextVersion = consent is null ? null : "2026-01",
        CreatedAt = updatedAt,
        CreatedBy = "staff",
        UpdatedAt = updatedAt,
        UpdatedBy = string.Create(CultureInfo.InvariantCulture, $"staff"),
    };
}
