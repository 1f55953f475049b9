namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>303 See Other: after a form post, the browser loads the next page with a GET.</summary>
public sealed class SeeOtherHttpResult(Uri location) : IResult, IStatusCodeHttpResult
{
    public Uri Location { get; } = location;

    public int? StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location.AbsoluteUri;
        return Task.CompletedTask;
    }
}
