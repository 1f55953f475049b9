using System.Globalization;
using System.Runtime.InteropServices;
using ResoSolidaire.LocalHost;

// dotnet run --project tools/ResoSolidaire.LocalHost -- [--app <dir>] [--settings local.settings.json] [--port 7071]
using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console =>
    {
        console.SingleLine = false;
        console.TimestampFormat = "HH:mm:ss ";
    })
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
    .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error)
    .AddFilter("Grpc", LogLevel.Warning)
    .AddFilter("Microsoft.Hosting", LogLevel.Warning));

LocalHostOptions options;
try
{
    options = CommandLine.Parse(args);
}
catch (LocalHostException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(CommandLine.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

FunctionsHost host;
try
{
    host = await FunctionsHost.StartAsync(options, loggerFactory, stop.Token);
}
catch (LocalHostException ex)
{
    await Console.Error.WriteLineAsync($"Erreur : {ex.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    return 130;
}

await using (host)
{
    await Console.Out.WriteLineAsync($"Hôte local prêt sur {host.BaseAddress} (Ctrl+C pour arrêter).");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C or SIGTERM.
    }

    await Console.Out.WriteLineAsync("Arrêt de l'hôte local…");
    await host.StopAsync();
}

return 0;

void Stop(PosixSignalContext context)
{
    // Keep the process alive until the host has drained and stopped the worker.
    context.Cancel = true;
    stop.Cancel();
}

internal static class CommandLine
{
    private static readonly string[] _configurations = ["Debug", "Release"];

    public const string Usage = "Usage : dotnet run --project tools/ResoSolidaire.LocalHost -- [--app <dossier de build>] [--settings <local.settings.json>] [--port <port>]";

    public static LocalHostOptions Parse(string[] args)
    {
        string? app = null;
        string? settings = null;
        int? port = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new LocalHostException($"L'option {name} attend une valeur.");
            switch (name)
            {
                case "--app":
                    app = Value();
                    break;
                case "--settings":
                    settings = Value();
                    break;
                case "--port":
                    var text = Value();
                    port = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
                        ? p
                        : throw new LocalHostException($"--port attend un numéro de port, pas « {text} ».");
                    break;
                default:
                    throw new LocalHostException($"Option inconnue : {name}");
            }
        }

        settings ??= File.Exists("local.settings.json") ? "local.settings.json" : null;
        app ??= DefaultAppDirectory();
        return port is { } explicitPort
            ? new LocalHostOptions { AppDirectory = app, SettingsFile = settings, HttpPort = explicitPort }
            : new LocalHostOptions { AppDirectory = app, SettingsFile = settings };
    }

    /// <summary>The function app's newest build output (Debug or Release), found from the repository root.</summary>
    private static string DefaultAppDirectory()
    {
        var root = FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? FindRepositoryRoot(AppContext.BaseDirectory);
        if (root is null)
        {
            throw new LocalHostException("Racine du dépôt introuvable (ResoSolidaire.sln) : précisez --app <dossier de build>.");
        }

        var candidates = _configurations
            .Select(c => Path.Combine(root, "functions", "ResoSolidaire.Functions", "bin", c, "net10.0"))
            .Where(d => File.Exists(Path.Combine(d, "worker.config.json")))
            .OrderByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d, "worker.config.json")))
            .ToList();
        return candidates.FirstOrDefault()
            ?? Path.Combine(root, "functions", "ResoSolidaire.Functions", "bin", "Debug", "net10.0");
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ResoSolidaire.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
