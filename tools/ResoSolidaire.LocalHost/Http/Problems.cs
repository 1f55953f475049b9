using System.Globalization;

namespace ResoSolidaire.LocalHost.Http;

/// <summary>
/// The host's own answers, all application/problem+json with a French title. Azure's host answers
/// its 401, 403, 404 and 413 with an empty body: nothing may depend on these bodies (see README).
/// </summary>
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

    public static Task Forbidden(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status403Forbidden,
        "Accès refusé",
        "Cette clé est valide mais n'ouvre pas l'API d'administration : la clé maître est requise.");

    public static Task NotFound(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status404NotFound,
        TitleFor(StatusCodes.Status404NotFound),
        DetailFor(StatusCodes.Status404NotFound));

    public static Task PayloadTooLarge(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status413PayloadTooLarge,
        TitleFor(StatusCodes.Status413PayloadTooLarge),
        DetailFor(StatusCodes.Status413PayloadTooLarge));

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
        StatusCodes.Status413PayloadTooLarge => "Requête trop volumineuse",
        StatusCodes.Status415UnsupportedMediaType => "Type de contenu non pris en charge",
        StatusCodes.Status500InternalServerError => "Erreur interne",
        StatusCodes.Status503ServiceUnavailable => "Service momentanément indisponible",
        _ => "Erreur",
    };

    public static string? DetailFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Aucune fonction ne correspond à cette adresse.",
        StatusCodes.Status413PayloadTooLarge => "Le corps de la requête dépasse la taille que l'hôte accepte.",
        _ => null,
    };
}
