using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Editions;
using ResoSolidaire.Testing;
using static ResoSolidaire.Functions.Tests.Newsletter.NewsletterBackend;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>The dispatch through the local host and the real worker process, against Azurite and the mail sink. Each test has its own backend.</summary>
public sealed class NewsletterDispatchTests
{
    [Fact]
    public async Task AnApprovedEditionReachesEveryRecipientOnceWithTheirOwnUnsubscribeHeaders()
    {
        await using var backend = await StartAsync();
        var emails = await SeedSubscribersAsync(backend, 12);
        var id = await ApprovedEditionDueNowAsync(backend);

        await RunUntilSentAsync(backend, id);

        var copies = Copies(backend.Mail);
        Assert.Equal(emails.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        var requests = backend.Mail.Messages.Snapshot().Where(m => m.Categories.Contains("newsletter")).ToList();
        Assert.Equal(3, requests.Count); // 12 recipients in batches of 5
        Assert.All(requests, r => Assert.True(r.IsValid, string.Join("; ", r.Errors.Select(e => e.Message))));
        var personalizations = requests.SelectMany(r => r.Personalizations).ToList();
        Assert.All(personalizations, p =>
        {
            Assert.Equal("List-Unsubscribe=One-Click", p.Headers["List-Unsubscribe-Post"]);
            Assert.StartsWith("<http://localhost:7071/api/newsletter/unsubscribe?token=", p.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Contains("mailto:", p.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Contains(p.Headers["List-Unsubscribe"].Split('<', '>')[1], p.Substitutions.Values);
        });
        Assert.Equal(12, personalizations.Select(p => p.Headers["List-Unsubscribe"]).Distinct(StringComparer.Ordinal).Count());

        var edition = await EditionAsync(backend, id);
        Assert.Equal(12, edition["counts"]!["sent"]!.GetValue<int>());
        var report = await backend.Mail.Messages.WaitForAsync(m => m.Subject?.StartsWith("Rapport d'envoi", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(10));
        Assert.Contains("Envoyés : 12", report.Text, StringComparison.Ordinal);

        var archive = await backend.Client.GetFromJsonAsync<JsonArray>("api/newsletter/archive");
        Assert.Equal(id, Assert.Single(archive!)!["id"]!.GetValue<string>());
        var web = await backend.Client.GetStringAsync($"api/newsletter/archive/{id}");
        Assert.Contains("La lettre de test", web, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", web, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASinkAnswering429Then500Then202LosesNothingAndSendsOnce()
    {
        await using var backend = await StartAsync();
        var emails = await SeedSubscribersAsync(backend, 4);
        var id = await ApprovedEditionDueNowAsync(backend);
        backend.Mail.Faults.FailNext(429, 1, TimeSpan.FromSeconds(1));

        await backend.RunFunctionAsync("DispatchNewsletter");
        await Eventually.TrueAsync(() => Task.FromResult(backend.Mail.Faults.TotalFaulted == 1), what: "the 429");
        backend.Mail.Faults.FailNext(500, 1);
        await RunUntilSentAsync(backend, id);

        Assert.Equal(2, backend.Mail.Faults.TotalFaulted);
        var copies = Copies(backend.Mail);
        Assert.Equal(emails.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        var delivery = await DeliveryAsync(backend, id);
        Assert.Equal("sent", Assert.Single(delivery["batches"]!.AsArray())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWorkerKilledBetweenTwoBatchesResumesWithoutASecondCopy()
    {
        await using var backend = await StartAsync(new() { ["Newsletter__PauseBetweenBatches"] = "00:00:05" });
        var emails = await SeedSubscribersAsync(backend, 15);
        var id = await ApprovedEditionDueNowAsync(backend);

        await backend.RunFunctionAsync("DispatchNewsletter");
        await Eventually.TrueAsync(async () => (await BatchesAsync(backend)).Any(b => b.Status == BatchStatus.Sent), TimeSpan.FromSeconds(30), "a first batch sent");
        Process.GetProcessById(backend.Host.WorkerProcessId!.Value).Kill();
        Assert.Equal(5, Copies(backend.Mail).Count);
        await RunUntilSentAsync(backend, id, TimeSpan.FromSeconds(90));

        var copies = Copies(backend.Mail);
        Assert.Equal(emails.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        Assert.DoesNotContain(await BatchesAsync(backend), b => b.Status == BatchStatus.Uncertain);
    }

    [Fact]
    public async Task AWorkerKilledDuringABatchLeavesItUncertainAndNeverSendsTwice()
    {
        await using var backend = await StartAsync();
        var emails = await SeedSubscribersAsync(backend, 10);
        var id = await ApprovedEditionDueNowAsync(backend);
        backend.Mail.Faults.Latency = TimeSpan.FromSeconds(4);

        await backend.RunFunctionAsync("DispatchNewsletter");
        await Eventually.TrueAsync(async () => (await BatchesAsync(backend)).Any(b => b.Status == BatchStatus.Claimed), TimeSpan.FromSeconds(30), "a batch claimed");
        Process.GetProcessById(backend.Host.WorkerProcessId!.Value).Kill();
        backend.Mail.Faults.Latency = TimeSpan.Zero;
        await RunUntilSentAsync(backend, id, TimeSpan.FromSeconds(90));

        var copies = Copies(backend.Mail);
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        var delivery = await DeliveryAsync(backend, id);
        var uncertain = delivery["toCheck"]!.AsArray().Select(r => r!["email"]!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(5, uncertain.Count);
        Assert.All(emails, e => Assert.True(copies.ContainsKey(e) || uncertain.Contains(e), $"{e} has neither a copy nor an uncertain mark"));
        Assert.Equal(5, delivery["counts"]!["uncertain"]!.GetValue<int>());

        // Staff decide to resend the uncertain batch: its recipients then have their copy.
        var batch = delivery["batches"]!.AsArray().First(b => b!["status"]!.GetValue<string>() == "uncertain")!["batch"]!.GetValue<string>();
        using var resend = await backend.StaffClient.PostAsync($"api/staff/newsletter/editions/{id}/batches/{batch}/resend", null);
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        await RunUntilSentAsync(backend, id);
        Assert.All(emails, e => Assert.True(Copies(backend.Mail).ContainsKey(e)));
    }

    [Fact]
    public async Task AResendCutOffAfterItsFirstWriteIsCompletedByTheDispatcherAndByARetriedResend()
    {
        await using var backend = await StartAsync(new() { ["Newsletter__MaxBatchAttempts"] = "2" });
        var emails = await SeedSubscribersAsync(backend, 4);
        var id = await ApprovedEditionDueNowAsync(backend);
        backend.Mail.Faults.FailNext(503, 2);
        await RunUntilSentAsync(backend, id);
        var failed = Assert.Single(await BatchesAsync(backend));
        Assert.Equal(BatchStatus.Failed, failed.Status);
        Assert.Empty(Copies(backend.Mail));

        // The crash: ResendBatch's first write (the edition back to sending) is applied, its second (the batch to pending) is not.
        var editions = backend.Table("NewsletterEditions");
        var edition = (await editions.GetEntityAsync<EditionEntity>(EditionEntity.Partition, id)).Value;
        edition.Status = EditionStatus.Sending;
        await editions.UpdateEntityAsync(edition, edition.ETag, TableUpdateMode.Replace);

        // The dispatcher brings the edition back to sent, the batch still failed and nothing sent.
        await RunUntilSentAsync(backend, id);
        Assert.Equal(BatchStatus.Failed, Assert.Single(await BatchesAsync(backend)).Status);
        Assert.Empty(Copies(backend.Mail));

        // Staff's retried resend then does what the cut-off one meant: every recipient gets one copy.
        await ResendAsync(backend, id, failed.RowKey);
        await RunUntilSentAsync(backend, id);
        var copies = Copies(backend.Mail);
        Assert.Equal(emails.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        Assert.Equal("sent", Assert.Single((await DeliveryAsync(backend, id))["batches"]!.AsArray())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AResendCutOffAfterItsFirstWriteIsFinishedByARetryBeforeAnyDispatch()
    {
        await using var backend = await StartAsync(new() { ["Newsletter__MaxBatchAttempts"] = "2" });
        var emails = await SeedSubscribersAsync(backend, 4);
        var id = await ApprovedEditionDueNowAsync(backend);
        backend.Mail.Faults.FailNext(503, 2);
        await RunUntilSentAsync(backend, id);
        var failed = Assert.Single(await BatchesAsync(backend));

        var editions = backend.Table("NewsletterEditions");
        var edition = (await editions.GetEntityAsync<EditionEntity>(EditionEntity.Partition, id)).Value;
        edition.Status = EditionStatus.Sending;
        await editions.UpdateEntityAsync(edition, edition.ETag, TableUpdateMode.Replace);

        await ResendAsync(backend, id, failed.RowKey);
        await RunUntilSentAsync(backend, id);
        var copies = Copies(backend.Mail);
        Assert.Equal(emails.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(copies.Values, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task ADispatcherCompletingTheEditionWhileABatchIsQueuedAgainCannotMarkItSent()
    {
        await using var backend = await StartAsync(new() { ["Newsletter__MaxBatchAttempts"] = "2" });
        var emails = await SeedSubscribersAsync(backend, 4);
        var id = await ApprovedEditionDueNowAsync(backend);
        backend.Mail.Faults.FailNext(503, 2);
        await RunUntilSentAsync(backend, id);
        var failed = Assert.Single(await BatchesAsync(backend));

        // A dispatcher run has read the edition (sending again after an earlier resend) and listed its batches, all
        // finished; before it saves the edition as sent, staff queue the failed batch again.
        var editions = backend.Table("NewsletterEditions");
        var sending = (await editions.GetEntityAsync<EditionEntity>(EditionEntity.Partition, id)).Value;
        sending.Status = EditionStatus.Sending;
        var staleRun = (await editions.UpdateEntityAsync(sending, sending.ETag, TableUpdateMode.Replace)).Headers.ETag!.Value;
        await ResendAsync(backend, id, failed.RowKey);
        sending.Status = EditionStatus.Sent;
        var save = await Record.ExceptionAsync(() => editions.UpdateEntityAsync(sending, staleRun, TableUpdateMode.Replace));

        // Its save is refused (the edition changed since it read it): the edition stays sending, and the next run
        // delivers the batch once.
        Assert.Equal(412, Assert.IsType<RequestFailedException>(save).Status);
        Assert.Equal(EditionStatus.Sending, (await editions.GetEntityAsync<EditionEntity>(EditionEntity.Partition, id)).Value.Status);
        await RunUntilSentAsync(backend, id);
        var copies = Copies(backend.Mail);
        Assert.Equal(emails.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(copies.Values, c => Assert.Equal(1, c));
    }

    /// <summary>
    /// Resends as staff would: a timer run fired before may still be completing the edition, and the resend then answers
    /// 409 "changed meanwhile" (nothing written), which staff answer by trying again.
    /// </summary>
    private static Task ResendAsync(Backend backend, string id, string batch) =>
        Eventually.TrueAsync(
            async () =>
            {
                using var resend = await backend.StaffClient.PostAsync($"api/staff/newsletter/editions/{id}/batches/{batch}/resend", null);
                return resend.StatusCode == HttpStatusCode.Accepted;
            },
            TimeSpan.FromSeconds(30),
            "the resend accepted");

    [Fact]
    public async Task TheTimerFiredTwiceAtOnceDispatchesOnce()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync(new() { ["Storage__NamePrefix"] = first.NamePrefix });
        var emails = await SeedSubscribersAsync(first, 20);
        var id = await ApprovedEditionDueNowAsync(first);
        first.Mail.Faults.Latency = TimeSpan.FromMilliseconds(300);
        second.Mail.Faults.Latency = TimeSpan.FromMilliseconds(300);

        await Task.WhenAll(first.RunFunctionAsync("DispatchNewsletter"), second.RunFunctionAsync("DispatchNewsletter"));
        await RunUntilSentAsync(first, id);

        var copies = Copies(first.Mail, second.Mail);
        Assert.Equal(emails.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        Assert.Single(new[] { first.Mail, second.Mail }, s => Copies(s).Count > 0);
    }

    [Fact]
    public async Task AnAddressUnsubscribedMidDispatchReceivesNothingAfter()
    {
        await using var backend = await StartAsync(new() { ["Newsletter__PauseBetweenBatches"] = "00:00:02", ["Newsletter__BatchSize"] = "2" });
        var emails = await SeedSubscribersAsync(backend, 8);
        var last = emails.OrderBy(EmailKeyOf, StringComparer.Ordinal).Last(); // frozen in the last batch
        var id = await ApprovedEditionDueNowAsync(backend);

        await backend.RunFunctionAsync("DispatchNewsletter");
        await Eventually.TrueAsync(() => Task.FromResult(Copies(backend.Mail).Count >= 2), TimeSpan.FromSeconds(30), "a first batch");
        var token = Tokens().Issue("newsletter-unsubscribe", EmailKeyOf(last), TimeSpan.FromDays(1));
        using var unsubscribed = await OneClickAsync(backend, $"<http://localhost/api/newsletter/unsubscribe?token={token}>");
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        await RunUntilSentAsync(backend, id);

        var copies = Copies(backend.Mail);
        Assert.False(copies.ContainsKey(last));
        Assert.Equal(7, copies.Count);
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        Assert.Equal(1, (await EditionAsync(backend, id))["counts"]!["suppressed"]!.GetValue<int>());
    }
}
