namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>Why a post was refused, before anything was stored. Turned into a problem document or an HTML page.</summary>
public sealed record FormRejection(int Status, string Title, string Detail, IDictionary<string, string[]>? Errors = null)
{
    public TimeSpan? RetryAfter { get; init; }

    public static FormRejection Invalid(FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(StatusCodes.Status400BadRequest, "Certaines informations sont manquantes ou invalides.", "Merci de corriger les champs indiqués puis de renvoyer le formulaire.", errors.ToDictionary());
    }

    public static FormRejection MalformedJson() =>
        new(StatusCodes.Status400BadRequest, "La demande est illisible.", "Le corps de la requête doit être un objet JSON valide.");

    public static FormRejection TooLarge(string detail, string? field = null) =>
        new(StatusCodes.Status413PayloadTooLarge, "La demande est trop volumineuse.", detail, field is null ? null : new Dictionary<string, string[]> { [field] = [detail] });

    public static FormRejection UnsupportedContentType(string accepted) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Ce format d'envoi n'est pas pris en charge.", $"Envoyez le formulaire en {accepted}.");

    public static FormRejection UnsupportedFile(string field, string message) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Ce type de fichier n'est pas accepté.", message, new Dictionary<string, string[]> { [field] = [message] });

    public static FormRejection RateLimited(TimeSpan retryAfter)
    {
        var minutes = (int)Math.Ceiling(retryAfter.TotalMinutes);
        var wait = minutes <= 1 ? "une minute" : $"{minutes} minutes";
        return new(StatusCodes.Status429TooManyRequests, "Trop d'envois en peu de temps.", $"Vous avez envoyé ce formulaire plusieurs fois en peu de temps. Merci de réessayer dans {wait}.")
        {
            RetryAfter = retryAfter,
        };
    }
}
