using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace LocalHost.TestApp;

/// <summary>A timer that leaves a file per run in the directory named by the TestTimerOutput setting.</summary>
public sealed class TimerFunctions(IConfiguration configuration)
{
    [Function(nameof(TestTimer))]
    public async Task TestTimer([TimerTrigger("%TestTimerSchedule%")] TimerInfo timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var directory = configuration["TestTimerOutput"];
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var name = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMddHHmmssfffffff}-{Guid.NewGuid():N}.run");
        await File.WriteAllTextAsync(Path.Combine(directory, name), timer.IsPastDue.ToString());
    }
}
