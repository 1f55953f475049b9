using System.Diagnostics;
using System.Net;

namespace ResoSolidaire.LocalHost.Tests;

/// <summary>Tests that kill or stop things: each owns its host.</summary>
public sealed class WorkerLifecycleTests
{
    [Fact]
    public async Task AKilledWorkerIsRestartedAndRequestsCaughtInTheCrashGet503()
    {
        await using var host = await TestApp.StartAsync(TestApp.WriteSettings(TestApp.NewTempDirectory()));
        using var client = TestApp.ClientFor(host);
        var firstPid = host.WorkerProcessId!.Value;
        var inFlight = client.GetAsync(new Uri("api/slow/5000", UriKind.Relative));
        await Task.Delay(500);

        using (var worker = Process.GetProcessById(firstPid))
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }

        using var caught = await inFlight;
        using var duringRestart = await client.GetAsync(new Uri("api/Ping", UriKind.Relative));
        var problem = await TestApp.ProblemAsync(caught, 503);
        Assert.Equal("Service momentanément indisponible", problem.GetProperty("title").GetString());
        Assert.NotNull(caught.Headers.RetryAfter);
        await TestApp.ProblemAsync(duringRestart, 503);
        Assert.NotNull(duringRestart.Headers.RetryAfter);

        await host.WaitForWorkerReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(firstPid, host.WorkerProcessId);
        Assert.Equal("pong", await client.GetStringAsync(new Uri("api/Ping", UriKind.Relative)));
    }

    [Fact]
    public async Task StoppingDrainsTheRequestInFlightAndLeavesNoWorkerBehind()
    {
        var host = await TestApp.StartAsync(TestApp.WriteSettings(TestApp.NewTempDirectory()));
        int workerPid;
        using (var client = TestApp.ClientFor(host))
        {
            workerPid = host.WorkerProcessId!.Value;
            var inFlight = client.GetAsync(new Uri("api/slow/700", UriKind.Relative));
            await Task.Delay(300);

            await host.StopAsync();

            using var drained = await inFlight;
            Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
        }

        await host.DisposeAsync();
        Assert.False(IsRunning(workerPid), "the worker process must be gone once the host has stopped");
    }

    [Fact]
    public async Task TheTimerFiresOnItsSixFieldScheduleFromASetting()
    {
        var output = TestApp.NewTempDirectory();
        await using var host = await TestApp.StartAsync(TestApp.WriteSettings(output, schedule: "*/1 * * * * *"), enableTimers: true);

        await TestApp.EventuallyAsync(
            () => Directory.GetFiles(output).Length >= 2,
            TimeSpan.FromSeconds(10),
            "a timer scheduled every second should have run at least twice");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
