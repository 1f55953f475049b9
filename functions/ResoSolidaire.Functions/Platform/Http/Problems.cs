using Microsoft.AspNetCore.Mvc;

namespace ResoSolidaire.Functions.Platform.Http;

/// <summary>
/// The problem documents (RFC 9457) the API answers with, titled in French for the people who read them.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: "Merci de corriger les champs indiqués puis de renvoyer le formulaire.",
            title: "Certaines informations sont manquantes ou invalides.",
            type: "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.1");

    /// <summary>
    /// A validation problem (400, errors by field) as a <see cref="ProblemHttpResult"/>, for answers that may also be
    /// a 413 or a 415: the staff JSON binder's refusals.
    /// </summary>
    public static ProblemHttpResult InvalidBody(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Certaines informations sont manquantes ou invalides.",
            Detail = "Merci de corriger les champs indiqués puis de renvoyer la requête.",
            Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.1",
        });

    public static ProblemHttpResult Problem(int status, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ProblemDetails Unexpected(string? traceId) => new()
    {
        Status = StatusCodes.Status500InternalServerError,
        Title = "Une erreur inattendue s'est produite.",
        Detail = "Votre demande n'a pas pu être traitée. Merci de réessayer dans quelques instants.",
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.6.1",
        Extensions = { ["traceId"] = traceId },
    };

    public static ProblemDetails UnreadableBody(string? traceId) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "La demande est illisible.",
        Detail = "Le corps de la demande est mal formé (par exemple un envoi multipart tronqué ou sans délimiteur).",
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.1",
        Extensions = { ["traceId"] = traceId },
    };

    public static ProblemDetails StorageUnavailable(string? traceId) => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Le service est momentanément indisponible.",
        Detail = "Rien n'a été enregistré. Merci de réessayer dans une minute.",
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.6.4",
        Extensions = { ["traceId"] = traceId },
    };
}
