namespace ResoSolidaire.LocalHost;

/// <summary>Who may call a function, as the real host's <c>authLevel</c>.</summary>
public enum FunctionAuthLevel
{
    Anonymous,
    Function,
    Admin,
}

/// <summary>A function the worker declared.</summary>
/// <param name="Name">Function name.</param>
/// <param name="TriggerType">Trigger binding type, e.g. <c>httpTrigger</c> or <c>timerTrigger</c>.</param>
/// <param name="AuthLevel">Key needed to call it; non-HTTP functions can only be run through the admin API, so theirs is Admin.</param>
/// <param name="Route">HTTP route template including the route prefix (no leading slash), null for non-HTTP functions.</param>
/// <param name="Methods">Upper-case HTTP methods; empty means any method (and for non-HTTP functions).</param>
/// <param name="IsDisabled">True when <c>AzureWebJobs.&lt;name&gt;.Disabled</c> is set.</param>
public sealed record HostedFunction(
    string Name,
    string TriggerType,
    FunctionAuthLevel AuthLevel,
    string? Route,
    IReadOnlyList<string> Methods,
    bool IsDisabled)
{
    public bool IsHttp => string.Equals(TriggerType, "httpTrigger", StringComparison.OrdinalIgnoreCase);
}
