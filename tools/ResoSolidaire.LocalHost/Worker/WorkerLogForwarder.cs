using ResoSolidaire.LocalHost.Rpc;

namespace ResoSolidaire.LocalHost.Worker;

/// <summary>Writes the worker's RpcLog messages to the host's loggers, under the worker's category.</summary>
internal sealed class WorkerLogForwarder(ILoggerFactory loggerFactory)
{
    public void Log(RpcLog log)
    {
        var level = Map(log.Level);
        if (level == LogLevel.None)
        {
            return;
        }

        var logger = loggerFactory.CreateLogger(string.IsNullOrEmpty(log.Category) ? "Worker" : log.Category);
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var message = log.Exception is { } exception
            ? $"{log.Message} {exception.Type} {exception.Message}".Trim()
            : log.Message;
        if (string.IsNullOrEmpty(log.InvocationId))
        {
            logger.Log(level, "{WorkerMessage}", message);
        }
        else
        {
            logger.Log(level, "{WorkerMessage} (invocation {InvocationId})", message, log.InvocationId);
        }

        if (log.Exception is { StackTrace.Length: > 0 } withStack && logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("{StackTrace}", withStack.StackTrace);
        }
    }

    private static LogLevel Map(RpcLog.Types.Level level) => level switch
    {
        RpcLog.Types.Level.Trace => LogLevel.Trace,
        RpcLog.Types.Level.Debug => LogLevel.Debug,
        RpcLog.Types.Level.Information => LogLevel.Information,
        RpcLog.Types.Level.Warning => LogLevel.Warning,
        RpcLog.Types.Level.Error => LogLevel.Error,
        RpcLog.Types.Level.Critical => LogLevel.Critical,
        _ => LogLevel.None,
    };
}
