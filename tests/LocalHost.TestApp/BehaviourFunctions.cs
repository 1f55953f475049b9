using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace LocalHost.TestApp;

/// <summary>Functions for keys, failures, slowness, settings and disabling.</summary>
public sealed class BehaviourFunctions(IConfiguration configuration)
{
    [Function(nameof(Secured))]
    public static IActionResult Secured([HttpTrigger(AuthorizationLevel.Function, "get", Route = "secured")] HttpRequest request) =>
        new OkObjectResult("secured");

    [Function(nameof(AdminOnly))]
    public static IActionResult AdminOnly([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "admin-only")] HttpRequest request) =>
        new OkObjectResult("admin");

    [Function(nameof(WhoAmI))]
    public static IActionResult WhoAmI([HttpTrigger(AuthorizationLevel.Function, "get", Route = "whoami")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OkObjectResult(new
        {
            name = request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString(),
            idp = request.Headers["X-MS-CLIENT-PRINCIPAL-IDP"].ToString(),
        });
    }

    [Function(nameof(WhoAmIAnonymous))]
    public static IActionResult WhoAmIAnonymous([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "whoami-anonymous")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OkObjectResult(new { name = request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"].ToString() });
    }

    [Function(nameof(Throws))]
    public static IActionResult Throws([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "throws")] HttpRequest request) =>
        throw new InvalidOperationException("Boom from the test app");

    [Function(nameof(Slow))]
    public static async Task<IActionResult> Slow([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "slow/{milliseconds:int}")] HttpRequest request, int milliseconds)
    {
        ArgumentNullException.ThrowIfNull(request);
        await Task.Delay(milliseconds, request.HttpContext.RequestAborted);
        return new OkObjectResult(new { slept = milliseconds });
    }

    [Function(nameof(Setting))]
    public IActionResult Setting([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settings/{name}")] HttpRequest request, string name) =>
        new OkObjectResult(new { name, value = configuration[name] });

    [Function(nameof(Disabled))]
    public static IActionResult Disabled([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "disabled")] HttpRequest request) =>
        new OkObjectResult("disabled, served to the master key");
}
