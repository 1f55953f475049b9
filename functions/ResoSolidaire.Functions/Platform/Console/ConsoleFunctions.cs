namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>The console's home (what needs attention, from every module) and its style sheet.</summary>
public sealed class ConsoleFunctions(IEnumerable<IConsoleAttention> attention, TimeProvider time)
{
    private static readonly Lazy<byte[]> StyleSheet = new(() =>
    {
        using var stream = typeof(ConsoleFunctions).Assembly.GetManifestResourceStream("console.css")
            ?? throw new InvalidOperationException("The console's style sheet is not embedded in the app.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

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
            items.AddRange((await source.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false)).Where(i => i.Count > 0));
        }

        return ConsoleGate.Page<ConsoleHomePage>(new { gate.Member, Items = items, Today = LocalDates.Today(time) });
    }

    [Function(nameof(ConsoleStyleSheet))]
    public FileContentHttpResult ConsoleStyleSheet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route + "/console.css")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.File(StyleSheet.Value, "text/css; charset=utf-8");
    }
}
