using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ResoSolidaire.LocalHost.Worker;

/// <summary>
/// Last line of defence so that no worker outlives the host: every live worker is killed when
/// the host process exits or dies of an unhandled exception. Each worker also carries the host's
/// PID in its environment, so workers left behind by a host that was killed outright are found
/// and stopped by the next host.
/// </summary>
internal static class WorkerProcessTracker
{
    public const string HostPidVariable = "RESOSOLIDAIRE_LOCALHOST_PID";

    private static readonly ConcurrentDictionary<int, Process> _live = new();

    static WorkerProcessTracker()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    public static void Track(Process process) => _live[process.Id] = process;

    public static void Untrack(Process process)
    {
        try
        {
            _live.TryRemove(process.Id, out _);
        }
        catch (InvalidOperationException)
        {
            // The process never started: nothing was tracked.
        }
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    public static void KillAll()
    {
        foreach (var process in _live.Values)
        {
            Kill(process);
        }
    }

    /// <summary>Stops workers whose host process no longer exists (Linux only, where /proc tells).</summary>
    public static int KillOrphans()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
        {
            return 0;
        }

        var marker = HostPidVariable + "=";
        var killed = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ"));
                var start = environment.IndexOf(marker, StringComparison.Ordinal);
                if (start < 0 || (start > 0 && environment[start - 1] != '\0'))
                {
                    continue;
                }

                var end = environment.IndexOf('\0', start);
                var value = environment[(start + marker.Length)..(end < 0 ? environment.Length : end)];
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var hostPid) && !IsAlive(hostPid))
                {
                    using var orphan = Process.GetProcessById(pid);
                    Kill(orphan);
                    killed++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile or not ours to read.
            }
        }

        return killed;
    }

    private static bool IsAlive(int pid)
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
