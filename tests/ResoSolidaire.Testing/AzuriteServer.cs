using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace ResoSolidaire.Testing;

/// <summary>
/// A real Azurite (the npm package pinned in package.json), in memory, on free ports.
/// Tests may stop and start it again to simulate a storage outage; the ports stay the same.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private readonly int _blobPort;
    private readonly int _tablePort;
    private readonly int _queuePort;
    private readonly StringBuilder _output = new();
    private readonly string? _location;
    private Process? _process;

    private AzuriteServer(int blobPort, int queuePort, int tablePort, string? location)
    {
        (_blobPort, _queuePort, _tablePort, _location) = (blobPort, queuePort, tablePort, location);
    }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        string.Create(CultureInfo.InvariantCulture, $"BlobEndpoint=http://127.0.0.1:{_blobPort}/devstoreaccount1;") +
        string.Create(CultureInfo.InvariantCulture, $"QueueEndpoint=http://127.0.0.1:{_queuePort}/devstoreaccount1;") +
        string.Create(CultureInfo.InvariantCulture, $"TableEndpoint=http://127.0.0.1:{_tablePort}/devstoreaccount1;");

    public TableServiceClient Tables() => new(ConnectionString);

    public BlobServiceClient Blobs() =>
        new(ConnectionString, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06));

    /// <summary>A fresh prefix for table and container names, so each test sees only its own data.</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The Azurite of this test run: the one the test command started, or one of our own.</summary>
    public static Task<AzuriteServer> SharedAsync() => Shared.Value;

    private static readonly Lazy<Task<AzuriteServer>> Shared = new(async () =>
    {
        var server = await StartAsync().ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();
        return server;
    });

    /// <summary>
    /// Starts an Azurite of one's own: in memory, or on disk in <paramref name="location"/> when the data
    /// must survive a stop and start (an outage test).
    /// </summary>
    public static async Task<AzuriteServer> StartAsync(string? location = null, CancellationToken cancellationToken = default)
    {
        var server = new AzuriteServer(FreePort.Next(), FreePort.Next(), FreePort.Next(), location);
        await server.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        var executable = RepoPaths.Combine("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException("Azurite is not installed: run `npm ci` at the repository root.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        // The watchdog ends Azurite if this process dies without disposing it.
        foreach (var arg in new[]
        {
            RepoPaths.Combine("scripts", "with-parent.mjs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            "node", executable, "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--blobPort", _blobPort.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", _queuePort.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", _tablePort.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (_location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(_location);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (!(await FreePort.IsListeningAsync(_blobPort, cancellationToken).ConfigureAwait(false)
            && await FreePort.IsListeningAsync(_tablePort, cancellationToken).ConfigureAwait(false)))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                Kill();
                throw new InvalidOperationException("Azurite did not start: " + Output);
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops Azurite at once (an outage); in-memory data is lost with it, data on disk is kept.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } p)
            {
                p.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
