namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>
/// An entry of the console's navigation, contributed by a module (<see cref="ConsoleRegistration.AddConsoleSection"/>):
/// shown to the people who hold <paramref name="Role"/>, so nobody is offered a page that would refuse them.
/// </summary>
public sealed record ConsoleSection(string Label, string Path, int Order, StaffRole Role = StaffRole.Team);

/// <summary>A line of the home page's « À traiter » list: what needs a person now, with a link to it; shown to those who hold <paramref name="Role"/>.</summary>
public sealed record AttentionItem(string Text, int Count, string Path, StaffRole Role = StaffRole.Team);

/// <summary>What a module shows on the console's home page (unhandled messages, cases due...).</summary>
public interface IConsoleAttention
{
    /// <summary>Its place on the home page, low first.</summary>
    int Order { get; }

    Task<IReadOnlyList<AttentionItem>> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>Counts for the home page from a module's paged list (a few hundred items: every page is read).</summary>
public static class AttentionCount
{
    public static async Task<int> OfAsync<T>(Func<ContinuationToken?, Task<ListPage<T>>> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var count = 0;
        ContinuationToken? continuation = null;
        do
        {
            var read = await page(continuation).ConfigureAwait(false);
            count += read.Items.Count;
            continuation = read.Continuation is null ? null : ContinuationToken.Decode(read.Continuation);
        }
        while (continuation is not null);

        return count;
    }
}

/// <summary>The console's addresses: every page is under <c>/api/equipe/</c>, the function app's route prefix first.</summary>
public static class ConsolePaths
{
    /// <summary>The functions' route prefix of the console (without the host's <c>api/</c>).</summary>
    public const string Route = "equipe";

    public const string Home = "/api/equipe";

    public static string Of(string relative) => Home + "/" + relative.TrimStart('/');

    /// <summary>Where App Service Authentication signs a person in, then sends them back to <paramref name="returnTo"/>.</summary>
    public static string SignIn(string returnTo) => "/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(returnTo);

    public const string SignOut = "/.auth/logout?post_logout_redirect_uri=/api/equipe";
}
