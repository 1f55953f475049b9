using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LocalHost.TestApp;

/// <summary>What reaches the app of the platform's identity headers (X-MS-CLIENT-PRINCIPAL*, X-MS-TOKEN-AAD-*).</summary>
public sealed class PrincipalFunctions
{
    [Function(nameof(EchoPrincipal))]
    public static IActionResult EchoPrincipal([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "principal")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers
            .Where(h => h.Key.StartsWith("X-MS-CLIENT-PRINCIPAL", StringComparison.OrdinalIgnoreCase) || h.Key.StartsWith("X-MS-TOKEN-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key.ToUpperInvariant(), h => h.Value.ToString());
        return new OkObjectResult(new { headers, authorization = request.Headers.Authorization.ToString() });
    }
}
