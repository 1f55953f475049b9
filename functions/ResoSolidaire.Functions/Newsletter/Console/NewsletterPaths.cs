using ResoSolidaire.Functions.Platform.Console;

namespace ResoSolidaire.Functions.Newsletter.Console;

/// <summary>The newsletter's addresses in the staff console, all under <c>/api/equipe/lettre</c>.</summary>
public static class NewsletterPaths
{
    public const string Route = ConsolePaths.Route + "/lettre";

    public const string List = ConsolePaths.Home + "/lettre";

    public const string New = List + "/nouvelle";

    public const string Archive = List + "/archives";

    public const string Subscribers = List + "/abonnes";

    public static string Edition(string id) => List + "/" + Uri.EscapeDataString(id);

    public static string Preview(string id) => Edition(id) + "/apercu";

    public static string Test(string id) => Edition(id) + "/test";

    public static string Approve(string id) => Edition(id) + "/approuver";

    public static string Withdraw(string id) => Edition(id) + "/brouillon";

    public static string Audience(string id) => Edition(id) + "/destinataires";

    public static string AudienceCount(string id) => Audience(id) + "/compte";

    public static string Delivery(string id) => Edition(id) + "/envoi";

    public static string Resend(string id, string batch) => Delivery(id) + "/lots/" + Uri.EscapeDataString(batch);

    public static string RetryFailed(string id) => Delivery(id) + "/echecs";

    public static string Subscriber(string key) => Subscribers + "/" + Uri.EscapeDataString(key);

    public static string Unsubscribe(string key) => Subscriber(key) + "/desinscrire";

    /// <summary>An htmx request (a live preview or count) gets the fragment alone; a plain post gets the whole page.</summary>
    public static bool IsHtmx(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.Headers["HX-Request"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
    }
}
