using System.Globalization;

namespace ResoSolidaire.LocalHost.Http;

/// <summary>The host's own answers, all application/problem+json with a French title.</summary>
internal static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string? detail = null, TimeSpan? retryAfter = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.Clear();
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);
    }

    public static Task Unauthorized(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status401Unauthorized,
        "Non autorisé",
        "Une clé valide est requise (en-tête x-functions-key ou paramètre code).");

    public static Task WorkerUnavailable(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status503ServiceUnavailable,
        "Service momentanément indisponible",
        "Le service redémarre. Merci de réessayer dans quelques secondes.",
        TimeSpan.FromSeconds(5));

    public static Task InternalError(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status500InternalServerError,
        "Erreur interne",
        "La fonction a échoué. Le détail est dans le journal de l'hôte.");

    public static string TitleFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Requête invalide",
        StatusCodes.Status401Unauthorized => "Non autorisé",
        StatusCodes.Status403Forbidden => "Accès refusé",
        StatusCodes.Status404NotFound => "Ressource introuvable",
        StatusCodes.Status405MethodNotAllowed => "Méthode non autorisée",
        StatusCodes.Status500InternalServerError => "Erreur interne",
        StatusCodes.Status503ServiceUnavailable => "Service momentanément indisponible",
        _ => "Erreur",
    };

    public static string? DetailFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Aucune fonction ne correspond à cette adresse.",
        StatusCodes.Status405MethodNotAllowed => "Cette adresse existe mais n'accepte pas cette méthode HTTP.",
        _ => null,
    };
}
