using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using ResoSolidaire.LocalHost.Configuration;
using ResoSolidaire.LocalHost.Rpc;

namespace ResoSolidaire.LocalHost.Worker;

/// <summary>
/// Launches the worker, runs the handshake and loads the functions; restarts the worker with
/// a backoff when it dies, and stops it for good on shutdown.
/// </summary>
internal sealed class WorkerSupervisor : IAsyncDisposable
{
    private const int MaxRestartAttempts = 5;
    private static readonly TimeSpan _startupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _terminateGrace = TimeSpan.FromSeconds(5);

    private readonly AppLayout _layout;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly WorkerStreamRegistry _registry;
    private readonly Uri _grpcUri;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource<WorkerSession> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<FunctionDescriptor> _catalog = [];
    private WorkerSession? _current;
    private Task _restartLoop = Task.CompletedTask;

    public WorkerSupervisor(AppLayout layout, IReadOnlyDictionary<string, string> environment, WorkerStreamRegistry registry, Uri grpcUri, ILoggerFactory loggerFactory)
    {
        _layout = layout;
        _environment = environment;
        _registry = registry;
        _grpcUri = grpcUri;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Host.Worker");
    }

    /// <summary>The worker that serves invocations now, or null while it (re)starts.</summary>
    public WorkerSession? Current
    {
        get
        {
            var session = _current;
            return session is { IsAlive: true } ? session : null;
        }
    }

    public int? WorkerProcessId => _current?.ProcessId;

    /// <summary>Launches the first worker, lets <paramref name="buildCatalog"/> decide what to serve, and loads it.</summary>
    public async Task<IReadOnlyList<FunctionDescriptor>> StartAsync(
        Func<IReadOnlyList<RpcFunctionMetadata>, IReadOnlyList<FunctionDescriptor>> buildCatalog,
        CancellationToken cancellationToken)
    {
        var session = await LaunchAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _catalog = buildCatalog(session.Metadata);
            await LoadAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.TerminateAsync(TimeSpan.Zero).ConfigureAwait(false);
            Forget(session);
            throw;
        }

        Promote(session);
        return _catalog;
    }

    public async Task<WorkerSession> WaitForReadyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<WorkerSession> ready;
            lock (_gate)
            {
                ready = _ready.Task;
            }

            var session = await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (session.IsAlive)
            {
                return session;
            }

            // The worker died but its exit may not have been handled yet: wait until the signal is swapped.
            await session.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (_stopping.IsCancellationRequested)
                {
                    throw new WorkerUnavailableException("The host is stopping.");
                }

                lock (_gate)
                {
                    if (_ready.Task != ready)
                    {
                        break;
                    }
                }

                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Promote(WorkerSession session)
    {
        lock (_gate)
        {
            _current = session;
            _ready.TrySetResult(session);
        }

        _ = WatchAsync(session);
    }

    private async Task WatchAsync(WorkerSession session)
    {
        var code = await session.Exited.ConfigureAwait(false);
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        lock (_gate)
        {
            if (_current != session)
            {
                return;
            }

            _current = null;
            _ready = new TaskCompletionSource<WorkerSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Forget(session);
        _logger.LogWarning("Le worker (PID {ProcessId}) s'est arrêté de façon inattendue (code {ExitCode}) : redémarrage.", session.ProcessId, code);
        _restartLoop = RestartAsync();
    }

    private async Task RestartAsync()
    {
        for (var attempt = 1; attempt <= MaxRestartAttempts; attempt++)
        {
            var delay = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                var session = await LaunchAsync(_stopping.Token).ConfigureAwait(false);
                await LoadAsync(session, _stopping.Token).ConfigureAwait(false);
                if (_stopping.IsCancellationRequested)
                {
                    await session.TerminateAsync(_terminateGrace).ConfigureAwait(false);
                    return;
                }

                _logger.LogInformation("Worker redémarré (PID {ProcessId}).", session.ProcessId);
                Promote(session);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is LocalHostException or WorkerUnavailableException or TimeoutException)
            {
                _logger.LogError("Échec du redémarrage du worker (tentative {Attempt}/{Max}) : {Reason}", attempt, MaxRestartAttempts, ex.Message);
            }
        }

        _logger.LogCritical("Le worker ne redémarre pas après {Max} tentatives : les requêtes reçoivent 503. Arrêtez l'hôte et corrigez l'application.", MaxRestartAttempts);
        lock (_gate)
        {
            _ready.TrySetException(new LocalHostException($"Le worker ne redémarre pas après {MaxRestartAttempts} tentatives."));
        }
    }

    private async Task<WorkerSession> LaunchAsync(CancellationToken cancellationToken)
    {
        var workerId = Guid.NewGuid().ToString();
        var session = new WorkerSession(CreateStartInfo(workerId), workerId, _loggerFactory);
        var rpcLogger = new WorkerLogForwarder(_loggerFactory);
        session.LogSink = rpcLogger.Log;
        _registry.Add(session);
        try
        {
            try
            {
                session.Start();
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new LocalHostException($"Impossible de lancer le worker avec « {_layout.WorkerExecutable} » : {ex.Message}. Le SDK .NET est-il dans le PATH ?", ex);
            }

            _logger.LogDebug("Worker lancé (PID {ProcessId}).", session.ProcessId);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_startupTimeout);

            await Await(session, session.Connected, timeout.Token, cancellationToken).ConfigureAwait(false);
            var init = await Await(session, session.InitializeAsync(new WorkerInitRequest
            {
                HostVersion = Http.AdminApi.EmulatedHostVersion,
                WorkerDirectory = _layout.AppDirectory,
                FunctionAppDirectory = _layout.AppDirectory,
            }), timeout.Token, cancellationToken).ConfigureAwait(false);
            if (init.Result is { Status: StatusResult.Types.Status.Failure } failed)
            {
                throw new LocalHostException($"Le worker a refusé l'initialisation : {failed.Exception?.Message ?? failed.Result}");
            }

            if (init.Capabilities.TryGetValue("HttpUri", out var httpUri) && Uri.TryCreate(httpUri, UriKind.Absolute, out var uri))
            {
                session.HttpUri = uri;
            }

            var metadata = await Await(session, session.GetMetadataAsync(_layout.AppDirectory), timeout.Token, cancellationToken).ConfigureAwait(false);
            if (metadata.Result is { Status: StatusResult.Types.Status.Failure } metadataFailed)
            {
                throw new LocalHostException($"Le worker n'a pas pu indexer les fonctions : {metadataFailed.Exception?.Message ?? metadataFailed.Result}");
            }

            session.Metadata = metadata.UseDefaultMetadataIndexing
                ? FunctionDescriptor.ReadFunctionsMetadataFile(_layout.AppDirectory)
                : [.. metadata.FunctionMetadataResults];
            return session;
        }
        catch
        {
            session.Kill();
            Forget(session);
            throw;
        }
    }

    private async Task LoadAsync(WorkerSession session, CancellationToken cancellationToken)
    {
        if (session.HttpUri is null && _catalog.Any(f => f.IsHttp))
        {
            throw new LocalHostException(
                "Le worker n'annonce pas d'URI HTTP : l'hôte local exige l'intégration ASP.NET Core (ConfigureFunctionsWebApplication() dans Program.cs).");
        }

        var loads = new List<Task<FunctionLoadResponse>>();
        // Disabled functions are loaded too, as the real host does: the master key can still run them.
        foreach (var function in _catalog)
        {
            var metadata = session.Metadata.FirstOrDefault(m => string.Equals(m.Name, function.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw new LocalHostException($"Le worker redémarré ne déclare plus la fonction « {function.Name} ».");
            var copy = metadata.Clone();
            if (string.IsNullOrEmpty(copy.FunctionId))
            {
                copy.FunctionId = Guid.NewGuid().ToString();
            }

            if (string.IsNullOrEmpty(copy.Directory))
            {
                copy.Directory = _layout.AppDirectory;
            }

            session.FunctionIds[function.Name] = copy.FunctionId;
            loads.Add(session.LoadAsync(new FunctionLoadRequest { FunctionId = copy.FunctionId, Metadata = copy }));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_startupTimeout);
        var responses = await Await(session, Task.WhenAll(loads), timeout.Token, cancellationToken).ConfigureAwait(false);
        foreach (var response in responses)
        {
            if (response.Result is { Status: StatusResult.Types.Status.Failure } failure)
            {
                var name = session.FunctionIds.FirstOrDefault(p => p.Value == response.FunctionId).Key ?? response.FunctionId;
                throw new LocalHostException($"Le chargement de la fonction « {name} » a échoué : {failure.Exception?.Message ?? failure.Result}");
            }
        }

        if (session.HttpUri is { } httpUri)
        {
            await WaitForWorkerHttpAsync(session, httpUri, timeout.Token, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The worker reports its functions loaded before its own Kestrel listens: wait for the port.</summary>
    private static async Task WaitForWorkerHttpAsync(WorkerSession session, Uri httpUri, CancellationToken timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!session.IsAlive)
            {
                throw StartupFailure(session, new WorkerUnavailableException("The worker exited before serving HTTP."));
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(httpUri.Host, httpUri.Port, timeout).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LocalHostException(string.Create(CultureInfo.InvariantCulture,
                    $"Le worker n'écoute pas sur {httpUri} après {_startupTimeout.TotalSeconds} s.{Tail(session)}"));
            }

            await Task.Delay(25, timeout).ConfigureAwait(false);
        }
    }

    private static async Task<T> Await<T>(WorkerSession session, Task<T> task, CancellationToken timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (WorkerUnavailableException ex)
        {
            throw StartupFailure(session, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LocalHostException(string.Create(CultureInfo.InvariantCulture,
                $"Le worker ne s'est pas initialisé en {_startupTimeout.TotalSeconds} s.{Tail(session)}"));
        }
    }

    private static async Task Await(WorkerSession session, Task task, CancellationToken timeout, CancellationToken cancellationToken) =>
        await Await(session, task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), timeout, cancellationToken).ConfigureAwait(false);

    private static LocalHostException StartupFailure(WorkerSession session, Exception reason)
    {
        // Give the exit code and the last output lines a moment to arrive.
        session.Exited.Wait(TimeSpan.FromSeconds(2));
        var code = session.Exited.IsCompletedSuccessfully ? string.Create(CultureInfo.InvariantCulture, $" (code {session.Exited.Result})") : string.Empty;
        return new LocalHostException($"Le worker s'est arrêté pendant le démarrage{code}.{Tail(session)}", reason);
    }

    private static string Tail(WorkerSession session)
    {
        var tail = session.OutputTail();
        return tail.Length == 0 ? string.Empty : $"{Environment.NewLine}Dernières lignes du worker :{Environment.NewLine}{tail}";
    }

    private ProcessStartInfo CreateStartInfo(string workerId)
    {
        var executable = _layout.WorkerExecutable;
        if (string.Equals(executable, "dotnet", StringComparison.OrdinalIgnoreCase)
            && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnetHost
            && File.Exists(dotnetHost))
        {
            executable = dotnetHost;
        }

        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = _layout.AppDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        var uri = _grpcUri.ToString();
        var requestId = Guid.NewGuid().ToString();
        const string maxMessageLength = "2147483647";
        foreach (var argument in new[]
        {
            _layout.WorkerPath,
            "--functions-uri", uri,
            "--functions-worker-id", workerId,
            "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", maxMessageLength,
            "--host", _grpcUri.Host,
            "--port", _grpcUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId,
            "--requestId", requestId,
            "--grpcMaxMessageLength", maxMessageLength,
        })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = _layout.AppDirectory;
        info.Environment["FUNCTIONS_WORKER_DIRECTORY"] = _layout.AppDirectory;
        info.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        info.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        info.Environment[WorkerProcessTracker.HostPidVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return info;
    }

    private void Forget(WorkerSession session)
    {
        _registry.Remove(session);
        session.Dispose();
    }

    /// <summary>Sends WorkerTerminate, waits for the exit and kills the worker if it lingers.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _restartLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or LocalHostException or WorkerUnavailableException)
        {
            // Restarting is over either way.
        }

        WorkerSession? session;
        lock (_gate)
        {
            session = _current;
            _current = null;
            _ready.TrySetException(new WorkerUnavailableException("The host is stopping."));
        }

        if (session is not null)
        {
            await session.TerminateAsync(_terminateGrace).ConfigureAwait(false);
            _logger.LogDebug("Worker arrêté (PID {ProcessId}).", session.ProcessId);
            Forget(session);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
