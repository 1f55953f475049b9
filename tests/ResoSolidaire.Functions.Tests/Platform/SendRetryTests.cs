using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Functions.Tests.Forms;

namespace ResoSolidaire.Functions.Tests.Platform;

/// <summary>The one retry policy of SendGrid sends: exponential with jitter, never before Retry-After. Time is a fake clock.</summary>
public sealed class SendRetryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EachWaitIsDrawnBetweenHalfAndAllOfItsExponentialStepUpToTheCap()
    {
        var retry = new SendRetry(new Random(12));
        for (var attempts = 1; attempts <= 12; attempts++)
        {
            var step = Math.Min(30 * Math.Pow(2, attempts - 1), 3600);
            var waits = Enumerable.Range(0, 50).Select(_ => retry.Delay(SendRetry.Outbox, attempts, null).TotalSeconds).ToList();

            Assert.All(waits, w => Assert.InRange(w, step / 2, step));
            Assert.True(waits.Distinct().Count() > 40, "the waits of mails refused together should differ");
        }
    }

    [Fact]
    public void RetryAfterWinsWhenSendGridAsksForLongerAndOnlyThen()
    {
        var retry = new SendRetry(new Random(7));

        Assert.Equal(TimeSpan.FromMinutes(10), retry.Delay(SendRetry.Dispatch, 1, TimeSpan.FromMinutes(10)));
        Assert.InRange(retry.Delay(SendRetry.Dispatch, 1, TimeSpan.FromMilliseconds(10)), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AMailRefusedWith429IsNotSentBeforeRetryAfterAndIsSentOnceItIsDue()
    {
        // The sink also says when its limit resets as a Unix time of the real clock: the fake one is set there
        // once the services have started (starting Azurite takes seconds of that real clock).
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-1));
        await using var services = await FormsTestServices.StartAsync(time: time);
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        time.SetUtcNow(start);
        var outbox = services.Get<MailOutbox>();
        services.Mail.Faults.FailNext(429, 1, TimeSpan.FromMinutes(2));

        var first = await outbox.SendAsync(Mail(), "retry-429", default);
        var sentBy = DateTimeOffset.UtcNow;
        var queued = await outbox.FindAsync("retry-429", default);
        // The limit resets two minutes after the sink refused, on the real clock, which a busy machine moves on
        // by a few seconds between `start` and the refusal: the bounds follow that real clock, not a fixed window.
        var dueAt = queued!.NextAttemptAt;
        time.SetUtcNow(dueAt - TimeSpan.FromSeconds(20));
        var early = await outbox.RetryDueAsync(default);
        time.SetUtcNow(dueAt);
        var due = await outbox.RetryDueAsync(default);

        Assert.Equal(MailOutcome.Queued, first);
        Assert.InRange(dueAt, start + TimeSpan.FromSeconds(119), sentBy + TimeSpan.FromSeconds(122));
        Assert.Equal(0, early.Sent);
        Assert.Equal(1, due.Sent);
        Assert.Equal(1, services.Mail.Messages.Count);
    }

    [Fact]
    public async Task AMailRefusedWith503WaitsItsJitteredStepOfTheOutbox()
    {
        var time = new FakeTimeProvider(Start);
        await using var services = await FormsTestServices.StartAsync(time: time);
        var outbox = services.Get<MailOutbox>();
        services.Mail.Faults.FailNext(503, 1);

        Assert.Equal(MailOutcome.Queued, await outbox.SendAsync(Mail(), "retry-503", default));
        var queued = await outbox.FindAsync("retry-503", default);
        time.Advance(TimeSpan.FromSeconds(30));
        var due = await outbox.RetryDueAsync(default);

        Assert.InRange(queued!.NextAttemptAt, Start + TimeSpan.FromSeconds(15), Start + TimeSpan.FromSeconds(30));
        Assert.Equal(1, due.Sent);
    }

    private static OutgoingMail Mail() =>
        new(["personne@exemple.test"], "Essai de nouvel envoi", "<p>Essai</p>", "Essai") { Kind = "retry-test" };
}
