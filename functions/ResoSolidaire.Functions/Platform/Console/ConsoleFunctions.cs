namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>The console's home (what needs attention, from every module) and its files.</summary>
public sealed class ConsoleFunctions(IEnumerable<IConsoleAttention> attention, TimeProvider time)
{
    [Function(nameof(ConsoleHome))]
    public async Task<ConsoleResult> ConsoleHome(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route)] HttpRequest request)
    {
        var gate = ConsoleGate.Enter(request, StaffRole.Team);
        if (!gate.IsOpen)
        {
            return gate.Refusal;
        }

        var items = new List<AttentionItem>();
        foreach (var source in attention.OrderBy(a => a.Order))
        {
            items.AddRange((await source.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false)).Where(i => i.Count > 0 && gate.Member.Holds(i.Role)));
        }

        return ConsoleGate.Page<ConsoleHomePage>(new { gate.Member, Items = items, Today = LocalDates.Today(time) });
    }

    /// <summary>
    /// The console's files: its style sheet and the libraries vendored from npm (htmx, Chart.js), embedded in the
    /// app so that it needs no build step and no other origin. Anonymous like every console route at the host:
    /// in Azure, App Service Authentication only lets signed-in people reach it.
    /// </summary>
    [Function(nameof(ConsoleAsset))]
    public Results<FileContentHttpResult, NotFound> ConsoleAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/fichiers/{name}")] HttpRequest request,
        string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ConsoleAssets.Find(name) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        request.HttpContext.Response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.File(asset.Content, asset.ContentType);
    }
}
