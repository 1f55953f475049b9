using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using ResoSolidaire.LocalHost.Rpc;
using ResoSolidaire.LocalHost.Worker;

namespace ResoSolidaire.LocalHost.Http;

/// <summary>
/// Runs invocations on the current worker: HTTP requests are forwarded to the worker's own
/// Kestrel alongside their InvocationRequest; other triggers carry their input in the request.
/// </summary>
internal sealed class FunctionInvoker : IDisposable
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    /// <summary>
    /// How long a response that arrived first waits for its invocation's outcome: a function that
    /// throws still gets an empty 200 from the worker, and only the InvocationResponse tells.
    /// </summary>
    private static readonly TimeSpan _outcomeGrace = TimeSpan.FromMilliseconds(500);

    private static readonly HashSet<string> _notForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Host", "Expect",
        "X-Forwarded-Proto", "X-Forwarded-Host", InvocationIdHeader,
    };

    private static readonly HashSet<string> _notReturned = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "Trailer",
    };

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly WorkerSupervisor _supervisor;
    private readonly KeyAuthorizer _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FunctionInvoker(WorkerSupervisor supervisor, KeyAuthorizer keys, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _supervisor = supervisor;
        _keys = keys;
        _time = time;
        _logger = loggerFactory.CreateLogger("Host.Function");
    }

    public async Task HandleHttpAsync(HttpContext context, FunctionDescriptor function)
    {
        if (function.AuthLevel != FunctionAuthLevel.Anonymous && _keys.Authorize(context, function.AuthLevel, function.Name) is null)
        {
            await Problems.Unauthorized(context).ConfigureAwait(false);
            return;
        }

        // As FunctionInvocationMiddleware: once authorised, a disabled function is served to the master key only.
        if (function.IsDisabled && !_keys.PresentsMasterKey(context))
        {
            await Problems.NotFound(context).ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength > context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize)
        {
            await Problems.PayloadTooLarge(context).ConfigureAwait(false);
            return;
        }

        var session = _supervisor.Current;
        if (session?.HttpUri is null || !session.FunctionIds.TryGetValue(function.Name, out var functionId))
        {
            await Problems.WorkerUnavailable(context).ConfigureAwait(false);
            return;
        }

        var invocationId = Guid.NewGuid().ToString();
        var request = NewInvocation(function, functionId, invocationId, new TypedData { Http = new RpcHttp() });
        foreach (var (name, value) in context.Request.RouteValues)
        {
            request.TriggerMetadata[name] = new TypedData { String = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty };
        }

        request.TriggerMetadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())) };
        request.TriggerMetadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString())) };

        var body = new WatchedBody(context.Request.Body);
        using var forward = BuildForwardRequest(context, body, session.HttpUri, invocationId);
        using var forwardCancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var started = _time.GetTimestamp();
        _logger.LogDebug("Executing '{FunctionName}' (Id={InvocationId})", function.Name, invocationId);

        Task<InvocationResponse> invocation;
        try
        {
            invocation = session.InvokeAsync(request);
        }
        catch (WorkerUnavailableException)
        {
            await Problems.WorkerUnavailable(context).ConfigureAwait(false);
            return;
        }

        using var cancelOnAbort = context.RequestAborted.Register(() => session.Cancel(invocationId));
        var forwarded = _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, forwardCancellation.Token);
        HttpResponseMessage? response = null;
        try
        {
            if (await Task.WhenAny(forwarded, invocation).ConfigureAwait(false) == invocation && !Succeeded(invocation))
            {
                await forwardCancellation.CancelAsync().ConfigureAwait(false);
                await ReportFailureAsync(context, function, invocationId, invocation, started, body).ConfigureAwait(false);
                return;
            }

            response = await forwarded.ConfigureAwait(false);
            if (!invocation.IsCompleted)
            {
                await Task.WhenAny(invocation, Task.Delay(_outcomeGrace, _time, context.RequestAborted)).ConfigureAwait(false);
            }

            if (invocation.IsCompleted && !Succeeded(invocation))
            {
                await ReportFailureAsync(context, function, invocationId, invocation, started, body).ConfigureAwait(false);
                return;
            }

            await CopyResponseAsync(context, response).ConfigureAwait(false);
            try
            {
                await invocation.WaitAsync(TimeSpan.FromSeconds(30), context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or WorkerUnavailableException)
            {
                // Reported below from the task's state.
            }

            if (invocation.IsCompleted && !Succeeded(invocation))
            {
                // Too late for a 500: the status line is gone. Break the response so the client sees a failure.
                LogOutcome(function, invocationId, invocation, started);
                context.Abort();
                return;
            }

            LogOutcome(function, invocationId, invocation, started);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            _logger.LogInformation("Requête abandonnée par le client : invocation '{FunctionName}' annulée (Id={InvocationId})", function.Name, invocationId);
        }
        catch (HttpRequestException) when (body.TooLarge)
        {
            session.Cancel(invocationId);
            await Problems.PayloadTooLarge(context).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            _logger.LogWarning("Le worker n'a pas répondu pour '{FunctionName}' (Id={InvocationId}) : {Reason}", function.Name, invocationId, ex.Message);
            session.Cancel(invocationId);
            await Problems.WorkerUnavailable(context).ConfigureAwait(false);
        }
        finally
        {
            response?.Dispose();
            ObserveQuietly(invocation);
            ObserveQuietly(forwarded);
        }
    }

    /// <summary>Runs a non-HTTP function with the given trigger input; completes when the worker answers.</summary>
    public async Task<bool> InvokeAsync(FunctionDescriptor function, TypedData input, string reason, CancellationToken cancellationToken)
    {
        var session = _supervisor.Current;
        if (session is null || !session.FunctionIds.TryGetValue(function.Name, out var functionId))
        {
            _logger.LogWarning("'{FunctionName}' non exécutée ({Reason}) : le worker est indisponible.", function.Name, reason);
            return false;
        }

        var invocationId = Guid.NewGuid().ToString();
        var started = _time.GetTimestamp();
        _logger.LogInformation("Executing '{FunctionName}' (Reason='{Reason}', Id={InvocationId})", function.Name, reason, invocationId);
        var invocation = session.InvokeAsync(NewInvocation(function, functionId, invocationId, input));
        try
        {
            await invocation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerUnavailableException)
        {
            // Reported below.
        }
        catch (OperationCanceledException)
        {
            session.Cancel(invocationId);
            throw;
        }

        LogOutcome(function, invocationId, invocation, started);
        return Succeeded(invocation);
    }

    private static InvocationRequest NewInvocation(FunctionDescriptor function, string functionId, string invocationId, TypedData input)
    {
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = functionId,
            // The worker fails every invocation that has no trace context.
            TraceContext = new RpcTraceContext
            {
                TraceParent = Activity.Current?.Id ?? $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00",
                TraceState = Activity.Current?.TraceStateString ?? string.Empty,
            },
        };
        request.InputData.Add(new ParameterBinding { Name = function.TriggerBindingName, Data = input });
        return request;
    }

    private static HttpRequestMessage BuildForwardRequest(HttpContext context, Stream body, Uri workerUri, string invocationId)
    {
        var incoming = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/')
        {
            rawTarget = $"{incoming.PathBase}{incoming.Path}{incoming.QueryString}";
        }

        var message = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(workerUri, rawTarget))
        {
            Version = System.Net.HttpVersion.Version11,
        };
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            message.Content = new StreamContent(body);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (_notForwarded.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // As a front end does: the caller's X-Forwarded-For is kept, and the address the caller really
        // connected from is appended, so that the last entry is the one the app can trust.
        var peer = context.Connection.RemoteIpAddress;
        var remote = peer is { IsIPv4MappedToIPv6: true } ? peer.MapToIPv4().ToString() : peer?.ToString();
        if (remote is not null)
        {
            var forwardedFor = incoming.Headers["X-Forwarded-For"].ToString();
            message.Headers.Remove("X-Forwarded-For");
            message.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor.Length == 0 ? remote : $"{forwardedFor}, {remote}");
        }

        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
        message.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);

        // X-MS-CLIENT-PRINCIPAL-* come from the emulated App Service Authentication in front of the host
        // (AppServiceAuthentication), which has already removed the caller's own copies; a key adds none
        // (it only becomes a claim of the host's own principal, AuthenticationLevelHandler).
        return message;
    }

    private static async Task CopyResponseAsync(HttpContext context, HttpResponseMessage response)
    {
        var outgoing = context.Response;
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        outgoing.StatusCode = (int)response.StatusCode;
        CopyHeaders(response.Headers, outgoing);
        CopyHeaders(response.Content.Headers, outgoing);
        await response.Content.CopyToAsync(outgoing.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static void CopyHeaders(HttpHeaders headers, HttpResponse outgoing)
    {
        foreach (var (name, values) in headers)
        {
            if (!_notReturned.Contains(name))
            {
                outgoing.Headers[name] = values.ToArray();
            }
        }
    }

    private async Task ReportFailureAsync(HttpContext context, FunctionDescriptor function, string invocationId, Task<InvocationResponse> invocation, long started, WatchedBody body)
    {
        LogOutcome(function, invocationId, invocation, started);
        if (body.TooLarge)
        {
            // The function failed because the host cut a body over its limit: the caller hears why.
            await Problems.PayloadTooLarge(context).ConfigureAwait(false);
        }
        else if (invocation.IsFaulted)
        {
            await Problems.WorkerUnavailable(context).ConfigureAwait(false);
        }
        else
        {
            await Problems.InternalError(context).ConfigureAwait(false);
        }
    }

    private void LogOutcome(FunctionDescriptor function, string invocationId, Task<InvocationResponse> invocation, long started)
    {
        var duration = (long)_time.GetElapsedTime(started).TotalMilliseconds;
        if (Succeeded(invocation))
        {
            _logger.LogInformation("Executed '{FunctionName}' (Succeeded, Id={InvocationId}, Duration={Duration}ms)", function.Name, invocationId, duration);
        }
        else if (invocation.IsCompletedSuccessfully && invocation.Result.Result?.Status == StatusResult.Types.Status.Cancelled)
        {
            _logger.LogInformation("Executed '{FunctionName}' (Cancelled, Id={InvocationId}, Duration={Duration}ms)", function.Name, invocationId, duration);
        }
        else
        {
            var reason = invocation.IsCompletedSuccessfully
                ? invocation.Result.Result?.Exception?.Message ?? invocation.Result.Result?.Result
                : invocation.Exception?.GetBaseException().Message ?? "no answer from the worker";
            _logger.LogError("Executed '{FunctionName}' (Failed, Id={InvocationId}, Duration={Duration}ms) {Reason}", function.Name, invocationId, duration, reason);
        }
    }

    private static bool Succeeded(Task<InvocationResponse> invocation) =>
        invocation.IsCompletedSuccessfully && invocation.Result.Result?.Status == StatusResult.Types.Status.Success;

    private static void ObserveQuietly(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The caller's body as forwarded to the worker, noting when Kestrel cut it at the host's limit
    /// (a streamed body has no Content-Length to refuse up front). The note is taken when the read
    /// fails, so it is there before the worker or the forwarding can report the broken request.
    /// </summary>
    private sealed class WatchedBody(Stream inner) : Stream
    {
        public bool TooLarge { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                TooLarge = true;
                throw;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
