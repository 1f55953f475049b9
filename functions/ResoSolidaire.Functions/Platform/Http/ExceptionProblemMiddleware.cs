using Microsoft.Azure.Functions.Worker.Middleware;

namespace ResoSolidaire.Functions.Platform.Http;

/// <summary>
/// Turns an exception escaping an HTTP function into a problem document: 503 with Retry-After when
/// storage cannot be reached (nothing was stored, the client may try again), 400 when the request's body
/// could not be read, 500 otherwise. The exception goes to the log with its stack trace, never into the answer;
/// a body the client broke is logged by type only (its fault, not ours: no trace to read).
/// </summary>
internal sealed class ExceptionProblemMiddleware(ILogger<ExceptionProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            var unavailable = IsStorageUnavailable(ex);
            var unreadable = !unavailable && IsUnreadableBody(ex);
            if (unreadable)
            {
                logger.LogInformation(
                    "Function {FunctionName} refused a body it could not read ({ExceptionType}, invocation {InvocationId})",
                    context.FunctionDefinition.Name,
                    ex.GetType().FullName,
                    context.InvocationId);
            }
            else
            {
                logger.LogError(
                    ex,
                    "Function {FunctionName} failed (invocation {InvocationId})",
                    context.FunctionDefinition.Name,
                    context.InvocationId);
            }

            var problem = unavailable ? Problems.StorageUnavailable(context.InvocationId)
                : unreadable ? Problems.UnreadableBody(context.InvocationId)
                : Problems.Unexpected(context.InvocationId);
            http.Response.Clear();
            http.Response.StatusCode = problem.Status!.Value;
            if (unavailable)
            {
                http.Response.Headers.RetryAfter = "30";
            }

            http.Response.ContentType = Problems.ContentType;
            await JsonSerializer.SerializeAsync(http.Response.Body, problem, ProblemJson).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A body that breaks the reader (multipart without its boundary or cut short, a form over the reader's
    /// limits): the client's fault, found while reading it, wherever a function reads its body.
    /// </summary>
    internal static bool IsUnreadableBody(Exception ex) =>
        ex is InvalidDataException or BadHttpRequestException || ex.GetType() == typeof(IOException);

    internal static bool IsStorageUnavailable(Exception ex) => ex switch
    {
        RequestFailedException { Status: 0 or 500 or 502 or 503 or 504 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsStorageUnavailable),
        HttpRequestException => true,
        _ => ex.InnerException is { } inner && IsStorageUnavailable(inner),
    };

    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);
}
