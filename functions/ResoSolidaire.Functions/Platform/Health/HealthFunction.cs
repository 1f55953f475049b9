namespace ResoSolidaire.Functions.Platform.Health;

/// <summary>Tells a load balancer or an operator whether the backend can store and mail. Holds no secret.</summary>
public sealed class HealthFunction(HealthProbe probe)
{
    [Function(nameof(GetHealth))]
    public async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await probe.CheckAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return report.StorageReachable
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
