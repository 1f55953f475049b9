using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LocalHost.TestApp;

/// <summary>What the worker sees of the client's address.</summary>
public sealed class ForwardingFunctions
{
    [Function(nameof(ForwardedFor))]
    public static IActionResult ForwardedFor([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "forwarded-for")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OkObjectResult(new
        {
            forwardedFor = request.Headers["X-Forwarded-For"].ToString(),
            originalFor = request.Headers["X-Original-For"].ToString(),
            remote = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
        });
    }
}
