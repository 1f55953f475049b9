using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LocalHost.TestApp;

/// <summary>Routes that exercise templates, constraints, optional and catch-all parameters, and methods.</summary>
public sealed class RoutingFunctions
{
    [Function(nameof(GetItem))]
    public static IActionResult GetItem([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id:int}")] HttpRequest request, int id) =>
        new OkObjectResult(new { id, kind = "item" });

    [Function(nameof(DeleteItem))]
    public static IActionResult DeleteItem([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "items/{id:int}")] HttpRequest request, int id) =>
        new OkObjectResult(new { id, kind = "deleted" });

    [Function(nameof(GetItemBySlug))]
    public static IActionResult GetItemBySlug([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/by-slug/{slug}")] HttpRequest request, string slug) =>
        new OkObjectResult(new { slug });

    [Function(nameof(Archive))]
    public static IActionResult Archive([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "archive/{year:int}/{month?}")] HttpRequest request, int year, string? month) =>
        new OkObjectResult(new { year, month });

    [Function(nameof(Files))]
    public static IActionResult Files([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "files/{*path}")] HttpRequest request, string? path) =>
        new OkObjectResult(new { path });

    [Function(nameof(CreateItem))]
    public static async Task<IActionResult> CreateItem([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "items")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return new ObjectResult(new { received = body, length = body.Length, query = request.Query["tag"].ToString() }) { StatusCode = StatusCodes.Status201Created };
    }

    [Function(nameof(Ping))]
    public static IActionResult Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) =>
        new OkObjectResult("pong");
}
