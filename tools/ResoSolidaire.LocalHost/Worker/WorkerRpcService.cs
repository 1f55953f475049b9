using System.Collections.Concurrent;
using Grpc.Core;
using ResoSolidaire.LocalHost.Rpc;
using RpcException = Grpc.Core.RpcException;

namespace ResoSolidaire.LocalHost.Worker;

/// <summary>Sessions waiting for their worker to call back, by worker id.</summary>
internal sealed class WorkerStreamRegistry
{
    private readonly ConcurrentDictionary<string, WorkerSession> _sessions = new(StringComparer.Ordinal);

    public void Add(WorkerSession session) => _sessions[session.WorkerId] = session;

    public void Remove(WorkerSession session) => _sessions.TryRemove(session.WorkerId, out _);

    public bool TryGet(string workerId, out WorkerSession session) => _sessions.TryGetValue(workerId, out session!);
}

/// <summary>The host side of the Functions RPC: the worker is the client and opens one event stream.</summary>
internal sealed class WorkerRpcService(WorkerStreamRegistry registry) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false)
            || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message must be StartStream."));
        }

        if (!registry.TryGet(requestStream.Current.StartStream.WorkerId, out var session))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "Unknown worker id."));
        }

        await session.RunStreamAsync(requestStream, responseStream, context.CancellationToken).ConfigureAwait(false);
    }
}
