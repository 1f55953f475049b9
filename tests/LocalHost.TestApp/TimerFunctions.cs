using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace LocalHost.TestApp;

/// <summary>A timer that leaves a file per run in the directory named by the TestTimerOutput setting.</summary>
public sealed class TimerFunctions(IConfiguration configuration)
{
    [Function(nameof(TestTimer))]
    public Task TestTimer([TimerTrigger("%TestTimerSchedule%")] TimerInfo timer) => WriteRunAsync(timer, string.Empty);

    /// <summary>Disabled by the tests' settings; its runs land in the "disabled" subfolder.</summary>
    [Function(nameof(DisabledTimer))]
    public Task DisabledTimer([TimerTrigger("%TestTimerSchedule%")] TimerInfo timer) => WriteRunAsync(timer, "disabled");

    private async Task WriteRunAsync(TimerInfo timer, string subfolder)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var output = configuration["TestTimerOutput"];
        if (string.IsNullOrEmpty(output))
        {
            return;
        }

        var directory = Path.Combine(output, subfolder);
        Directory.CreateDirectory(directory);
        var name = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMddHHmmssfffffff}-{Guid.NewGuid():N}.run");
        await File.WriteAllTextAsync(Path.Combine(directory, name), timer.IsPastDue.ToString());
    }
}
