using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Porteurs;
using ResoSolidaire.Testing;
using Xunit.Abstractions;

namespace ResoSolidaire.Functions.Tests.Reliability;

/// <summary>
/// Storage stopped, the worker killed, SendGrid refusing mail, each in the middle of a load: what was
/// accepted is kept, what was refused is refused with a problem the website can act on.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class FaultTests(SuiteLogs logs, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);

    /// <summary>Every third request is an intake with an attachment, so that a blob is written before its row.</summary>
    private static int Mixed(int index) => index % 3 == 2 ? Answer.Porteur : Answer.Contact;

    [Fact]
    public async Task StorageStoppedUnderLoadAnswers503WithRetryAfterLosesNothingAcceptedAndRecoversWithoutRestart()
    {
        var location = Path.Combine(Path.GetTempPath(), "reso-azurite-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(location);
        try
        {
            var azurite = await AzuriteServer.StartAsync(location);
            await using var backend = await logs.StartBackendAsync(azurite: azurite);
            var worker = backend.Host.WorkerProcessId;
            using var traffic = new Traffic(backend);
            await traffic.RunAsync(6, 3, TimeSpan.FromSeconds(30), Mixed);

            var stoppedAt = TimeSpan.Zero;
            var restartedAt = TimeSpan.Zero;
            var clock = Stopwatch.StartNew();
            var fault = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
                stoppedAt = clock.Elapsed;
                await StopAsync(azurite, location);
                await Task.Delay(Outage);
                await azurite.StartAgainAsync();
                restartedAt = clock.Elapsed;
            });
            var answers = await traffic.RunAsync(3_000, 16, TimeSpan.FromSeconds(60), Mixed, pauseAfterRefusal: TimeSpan.FromMilliseconds(250), enough: done =>
                fault.IsCompleted && done.Count(a => a.Accepted && a.At > restartedAt) >= 60);
            await fault;

            var figures = Traffic.Describe(answers);
            output.WriteLine("Storage outage: " + figures);
            Assert.True(answers.All(a => a.Status is 201 or 503), "Answers other than 201 and 503: " + figures + "\n" + logs.Problems());
            var refused = answers.Where(a => a.Status == 503).ToList();
            Assert.NotEmpty(refused);
            Assert.All(refused, a =>
            {
                Assert.Equal("application/problem+json", a.MediaType);
                Assert.Equal("Le service est momentanément indisponible.", a.Title);
                Assert.NotNull(a.RetryAfter);
            });

            var firstAfter = answers.Where(a => a.Accepted && a.At > restartedAt).Min(a => a.At) - restartedAt;
            var contacts = await Traffic.SubmissionsAsync(backend, ContactForm.TableName);
            var porteurs = await Traffic.SubmissionsAsync(backend, PorteurForm.TableName);
            var accepted = answers.Where(a => a.Accepted).ToList();
            var lost = accepted.Count(a => !(a.Form == Answer.Contact ? contacts : porteurs).ContainsKey(a.Reference!));
            Assert.Equal(0, lost);
            Assert.Equal(accepted.Count, accepted.Select(a => a.Reference).Distinct(StringComparer.Ordinal).Count());

            var orphans = new List<string>();
            var container = backend.Container(AttachmentStore.ContainerName);
            await foreach (var blob in container.GetBlobsAsync())
            {
                if (!porteurs.ContainsKey(blob.Name.Split('/')[0]))
                {
                    orphans.Add(blob.Name);
                }
            }

            // A post refused while storage was down may leave its file behind (written just before the row, and the
            // clean-up failing too): the sweep removes it after its grace (OrphanAttachmentTests). No accepted intake's is among them.
            var acceptedReferences = accepted.Select(a => a.Reference!).ToHashSet(StringComparer.Ordinal);
            Assert.DoesNotContain(orphans, o => acceptedReferences.Contains(o.Split('/')[0]));
            Assert.True(orphans.Count <= refused.Count(a => a.Form == Answer.Porteur), "More orphans than refused intakes: " + string.Join(", ", orphans));
            Assert.Equal(worker, backend.Host.WorkerProcessId);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Storage stopped at {stoppedAt.TotalSeconds:0.0} s, started again at {restartedAt.TotalSeconds:0.0} s; 503: {refused.Count}; accepted {accepted.Count}, lost {lost}, rows {contacts.Count + porteurs.Count}; attachments left by refused intakes {orphans.Count}; first 201 {firstAfter.TotalSeconds:0.00} s after the restart; same worker {worker}"));
            logs.AssertNoLeak();
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(location, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a closing Azurite: the temp folder is cleaned later.
            }
        }
    }

    [Fact]
    public async Task AWorkerKilledUnderLoadIsRestartedRequestsCaughtInTheCrashGet503AndNothingAcceptedIsLost()
    {
        await using var backend = await logs.StartBackendAsync();
        using var traffic = new Traffic(backend);
        await traffic.RunAsync(6, 3, TimeSpan.FromSeconds(30), Mixed);
        var first = backend.Host.WorkerProcessId!.Value;

        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.Zero;
        var backAt = TimeSpan.Zero;
        var crash = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            using (var process = Process.GetProcessById(first))
            {
                process.Kill(entireProcessTree: true);
            }

            killedAt = clock.Elapsed;
            await Eventually.TrueAsync(() => Task.FromResult(backend.Host.WorkerProcessId is { } pid && pid != first), TimeSpan.FromSeconds(60), "a new worker");
            await backend.Host.WaitForWorkerReadyAsync();
            backAt = clock.Elapsed;
        });
        var answers = await traffic.RunAsync(3_000, 16, TimeSpan.FromSeconds(90), Mixed, pauseAfterRefusal: TimeSpan.FromMilliseconds(250), enough: done =>
            crash.IsCompleted && done.Count(a => a.Accepted && a.At > backAt) >= 60);
        await crash;

        var figures = Traffic.Describe(answers);
        output.WriteLine("Worker crash: " + figures);
        Assert.True(answers.All(a => a.Status is 201 or 503), "Answers other than 201 and 503: " + figures + "\n" + logs.Problems());
        var refused = answers.Where(a => a.Status == 503).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, a =>
        {
            Assert.Equal("application/problem+json", a.MediaType);
            Assert.Contains("indisponible", a.Title, StringComparison.Ordinal);
            Assert.NotNull(a.RetryAfter);
        });
        var contacts = await Traffic.SubmissionsAsync(backend, ContactForm.TableName);
        var porteurs = await Traffic.SubmissionsAsync(backend, PorteurForm.TableName);
        var accepted = answers.Where(a => a.Accepted).ToList();
        var lost = accepted.Count(a => !(a.Form == Answer.Contact ? contacts : porteurs).ContainsKey(a.Reference!));
        Assert.Equal(0, lost);
        Assert.Equal(accepted.Count, accepted.Select(a => a.Reference).Distinct(StringComparer.Ordinal).Count());
        Assert.NotEqual(first, backend.Host.WorkerProcessId);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Worker {first} killed at {killedAt.TotalSeconds:0.0} s, new worker {backend.Host.WorkerProcessId} ready {(backAt - killedAt).TotalSeconds:0.0} s later; 503: {refused.Count}; accepted {accepted.Count}, lost {lost}"));
        logs.AssertNoLeak();
    }

    [Fact]
    public async Task WhenSendGridAnswers429Then5xxTheMailsWaitInTheOutboxAndEachLeavesExactlyOnceAfterwards()
    {
        await using var backend = await logs.StartBackendAsync();
        using var traffic = new Traffic(backend);
        var clock = Stopwatch.StartNew();

        backend.Mail.Faults.FailUntilCleared(429, TimeSpan.FromSeconds(1));
        var during429 = await traffic.RunAsync(30, 8, TimeSpan.FromSeconds(60), Mixed);
        backend.Mail.Faults.FailUntilCleared(503);
        var during503 = await traffic.RunAsync(30, 8, TimeSpan.FromSeconds(60), Mixed);
        var answers = during429.Concat(during503).ToList();
        Assert.True(answers.All(a => a.Accepted), "A post was refused while only mail was down: " + Traffic.Describe(answers));
        Assert.Empty(backend.Mail.Messages.Snapshot());
        var outbox = backend.Table("Outbox");
        Assert.Equal(answers.Count * 2, await CountAsync(outbox, "Pending"));

        // First pass: SendGrid is still refusing, nothing leaves and nothing is lost.
        await MakeDueAsync(outbox);
        await backend.RunFunctionAsync("RetryOutbox");
        await Eventually.TrueAsync(async () => backend.Mail.Faults.TotalFaulted >= (answers.Count * 4), TimeSpan.FromSeconds(60), "a retry pass against the failing sink");
        await Eventually.TrueAsync(async () => await CountAsync(outbox, "Sending") == 0, TimeSpan.FromSeconds(30), "the end of the pass");
        Assert.Equal(answers.Count * 2, await CountAsync(outbox, "Pending"));

        // SendGrid is back: the due mails leave, then another pass sends nothing again.
        backend.Mail.Faults.Clear();
        var recovered = clock.Elapsed;
        await MakeDueAsync(outbox);
        await backend.RunFunctionAsync("RetryOutbox");
        await Eventually.TrueAsync(async () => await CountAsync(outbox, "Sent") == answers.Count * 2, TimeSpan.FromSeconds(60), "every mail sent");
        var drained = clock.Elapsed - recovered;
        await MakeDueAsync(outbox);
        await backend.RunFunctionAsync("RetryOutbox");
        await Task.Delay(1_000);

        var mails = backend.Mail.Messages.Snapshot();
        foreach (var answer in answers)
        {
            Assert.Single(mails, m => m.IsAddressedTo(answer.Email));
            Assert.Single(mails, m => m.Subject.Contains(answer.Reference!, StringComparison.Ordinal) && !m.IsAddressedTo(answer.Email));
        }

        Assert.Equal(answers.Count * 2, mails.Count);
        Assert.Equal(0, await CountAsync(outbox, "Failed") + await CountAsync(outbox, "Uncertain"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Mail outage: {answers.Count} posts accepted while SendGrid answered 429 then 503 ({backend.Mail.Faults.TotalFaulted} refused sends); {mails.Count} mails left once, {drained.TotalSeconds:0.0} s after recovery"));
        logs.AssertNoLeak();
    }

    /// <summary>
    /// Stops Azurite as a service is stopped (SIGTERM): it stops taking requests and writes its data to disk (it
    /// may wait for the app's idle connections to close). A kill
    /// would lose what it acknowledged in its last five seconds (LokiJS saves every 5 s), which Azure Storage
    /// never does; that loss would be the simulator's, not the app's.
    /// </summary>
    private static async Task StopAsync(AzuriteServer azurite, string location)
    {
        var ours = Process.GetProcessesByName("node").FirstOrDefault(p => ReadCommandLine(p.Id).Contains(location, StringComparison.Ordinal));
        if (ours is not null)
        {
            using (ours)
            {
                using (var term = Process.Start("kill", ["-TERM", ours.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await ours.WaitForExitAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    // Still closing: stopped below the hard way.
                }
            }
        }

        await azurite.StopAsync();
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task<int> CountAsync(TableClient outbox, string status)
    {
        var count = 0;
        await foreach (var _ in outbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Status eq {status}"), select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>Time passes for the waiting mails: their next attempt is due now (the backoff is 30 s and more).</summary>
    private static async Task MakeDueAsync(TableClient outbox)
    {
        await foreach (var row in outbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Status eq {"Pending"}")))
        {
            row["NextAttemptAt"] = DateTimeOffset.UtcNow.AddMinutes(-1);
            await outbox.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge);
        }
    }
}
