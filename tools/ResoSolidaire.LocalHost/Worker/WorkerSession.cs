using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ResoSolidaire.LocalHost.Rpc;
using RpcException = Grpc.Core.RpcException;

namespace ResoSolidaire.LocalHost.Worker;

/// <summary>One worker process and its gRPC event stream, from launch to exit.</summary>
internal sealed class WorkerSession : IDisposable
{
    private const int OutputTailLines = 20;

    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new();
    private readonly TaskCompletionSource _connected = NewSource();
    private readonly TaskCompletionSource<WorkerInitResponse> _init = NewSource<WorkerInitResponse>();
    private readonly TaskCompletionSource<FunctionMetadataResponse> _metadata = NewSource<FunctionMetadataResponse>();
    private readonly TaskCompletionSource<int> _exited = NewSource<int>();
    private readonly Queue<string> _outputTail = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _outputLogger;
    private readonly Process _process;
    private volatile Exception? _failure;
    private int _attached;

    public WorkerSession(ProcessStartInfo startInfo, string workerId, ILoggerFactory loggerFactory)
    {
        WorkerId = workerId;
        _loggerFactory = loggerFactory;
        _outputLogger = loggerFactory.CreateLogger("Worker.Console");
        _process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data, LogLevel.Information);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data, LogLevel.Warning);
        _process.Exited += (_, _) => OnExited();
    }

    public string WorkerId { get; }

    public int? ProcessId { get; private set; }

    /// <summary>Where the worker's own Kestrel listens (ASP.NET Core integration), once initialised.</summary>
    public Uri? HttpUri { get; set; }

    /// <summary>Function ids the worker loaded, by function name.</summary>
    public ConcurrentDictionary<string, string> FunctionIds { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<RpcFunctionMetadata> Metadata { get; set; } = [];

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    public bool IsAlive => _failure is null && !_exited.Task.IsCompleted;

    public Task Connected => _connected.Task;

    public Action<RpcLog>? LogSink { get; set; }

    public void Start()
    {
        if (!_process.Start())
        {
            throw new LocalHostException($"Impossible de lancer le worker « {_process.StartInfo.FileName} ».");
        }

        ProcessId = _process.Id;
        WorkerProcessTracker.Track(_process);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string OutputTail()
    {
        lock (_outputTail)
        {
            return string.Join(Environment.NewLine, _outputTail);
        }
    }

    /// <summary>Runs the worker's event stream until either side ends it.</summary>
    public async Task RunStreamAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _attached, 1) == 1)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, "This worker already has an event stream."));
        }

        _connected.TrySetResult();
        var writer = WriteAsync(responses, cancellationToken);
        try
        {
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                Dispatch(requests.Current);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or RpcException)
        {
            // The worker went away; Fail below tells everyone waiting.
        }
        finally
        {
            Fail(new WorkerUnavailableException("The worker closed its event stream."));
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or RpcException)
            {
                // Nothing more can be sent on a closed stream.
            }
        }
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                _init.TrySetResult(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                _metadata.TrySetResult(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                if (_loads.TryRemove(message.FunctionLoadResponse.FunctionId, out var load))
                {
                    load.TrySetResult(message.FunctionLoadResponse);
                }

                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var invocation))
                {
                    invocation.TrySetResult(message.InvocationResponse);
                }

                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                LogSink?.Invoke(message.RpcLog);
                break;
            default:
                break;
        }
    }

    public Task<WorkerInitResponse> InitializeAsync(WorkerInitRequest request)
    {
        Send(new StreamingMessage { RequestId = NewRequestId(), WorkerInitRequest = request });
        return _init.Task;
    }

    public Task<FunctionMetadataResponse> GetMetadataAsync(string appDirectory)
    {
        Send(new StreamingMessage
        {
            RequestId = NewRequestId(),
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
        });
        return _metadata.Task;
    }

    public Task<FunctionLoadResponse> LoadAsync(FunctionLoadRequest request)
    {
        var source = NewSource<FunctionLoadResponse>();
        _loads[request.FunctionId] = source;
        ThrowIfFailed(source);
        Send(new StreamingMessage { RequestId = NewRequestId(), FunctionLoadRequest = request });
        return source.Task;
    }

    /// <summary>Starts an invocation; the task ends with the worker's answer or a <see cref="WorkerUnavailableException"/>.</summary>
    public Task<InvocationResponse> InvokeAsync(InvocationRequest request)
    {
        var source = NewSource<InvocationResponse>();
        _invocations[request.InvocationId] = source;
        ThrowIfFailed(source);
        Send(new StreamingMessage { RequestId = NewRequestId(), InvocationRequest = request });
        return source.Task;
    }

    public void Cancel(string invocationId)
    {
        if (_invocations.ContainsKey(invocationId))
        {
            TrySend(new StreamingMessage { RequestId = NewRequestId(), InvocationCancel = new InvocationCancel { InvocationId = invocationId } });
        }
    }

    /// <summary>Asks the worker to stop, waits for it, and kills it if it lingers.</summary>
    public async Task TerminateAsync(TimeSpan gracePeriod)
    {
        if (_exited.Task.IsCompleted || ProcessId is null)
        {
            return;
        }

        if (gracePeriod > TimeSpan.Zero && _connected.Task.IsCompletedSuccessfully && _failure is null)
        {
            TrySend(new StreamingMessage
            {
                RequestId = NewRequestId(),
                WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) },
            });
            try
            {
                await _exited.Task.WaitAsync(gracePeriod).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _outputLogger.LogWarning("Le worker (PID {ProcessId}) ne s'est pas arrêté en {Seconds} s : arrêt forcé.", ProcessId, gracePeriod.TotalSeconds);
            }
        }

        Kill();
        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _outputLogger.LogError("Le worker (PID {ProcessId}) ne répond pas à l'arrêt forcé.", ProcessId);
        }
    }

    public void Kill()
    {
        if (ProcessId is not null)
        {
            WorkerProcessTracker.Kill(_process);
        }
    }

    private void Send(StreamingMessage message)
    {
        if (_failure is { } failure)
        {
            throw new WorkerUnavailableException(failure.Message, failure);
        }

        if (!_outgoing.Writer.TryWrite(message))
        {
            throw new WorkerUnavailableException("The worker's event stream is closed.");
        }
    }

    private void TrySend(StreamingMessage message) => _outgoing.Writer.TryWrite(message);

    private void ThrowIfFailed<T>(TaskCompletionSource<T> source)
    {
        if (_failure is { } failure)
        {
            source.TrySetException(new WorkerUnavailableException(failure.Message, failure));
        }
    }

    /// <summary>Ends every wait on this session: the worker will not answer any more.</summary>
    public void Fail(Exception reason)
    {
        _failure ??= reason;
        _outgoing.Writer.TryComplete();
        var error = new WorkerUnavailableException(reason.Message, reason);
        _connected.TrySetException(error);
        _init.TrySetException(error);
        _metadata.TrySetException(error);
        foreach (var key in _loads.Keys)
        {
            if (_loads.TryRemove(key, out var load))
            {
                load.TrySetException(error);
            }
        }

        foreach (var key in _invocations.Keys)
        {
            if (_invocations.TryRemove(key, out var invocation))
            {
                invocation.TrySetException(error);
            }
        }
    }

    private void OnExited()
    {
        int code;
        try
        {
            code = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            code = -1;
        }

        WorkerProcessTracker.Untrack(_process);
        Fail(new WorkerUnavailableException(string.Create(CultureInfo.InvariantCulture, $"The worker process exited with code {code}.")));
        _exited.TrySetResult(code);
    }

    private void OnOutput(string? line, LogLevel level)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputTail)
        {
            _outputTail.Enqueue(line);
            while (_outputTail.Count > OutputTailLines)
            {
                _outputTail.Dequeue();
            }
        }

        _outputLogger.Log(level, "{WorkerOutput}", line);
    }

    public ILogger CreateLogger(string category) => _loggerFactory.CreateLogger(category);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static string NewRequestId() => Guid.NewGuid().ToString();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
