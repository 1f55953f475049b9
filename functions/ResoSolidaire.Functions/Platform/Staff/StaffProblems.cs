namespace ResoSolidaire.Functions.Platform.Staff;

/// <summary>The domain problems shared by the staff endpoints, in French.</summary>
public static class StaffProblems
{
    public static ProblemHttpResult NotFound(string what) =>
        Problems.Problem(StatusCodes.Status404NotFound, $"{what} est introuvable.", "Il a peut-être été supprimé, ou l'adresse est erronée.");

    public static ProblemHttpResult PreconditionRequired() =>
        Problems.Problem(
            StatusCodes.Status428PreconditionRequired,
            "L'en-tête If-Match est requis.",
            "Relisez la fiche (GET) et renvoyez sa valeur d'ETag dans l'en-tête If-Match, pour ne pas écraser une modification faite entre-temps.");

    public static ProblemHttpResult PreconditionFailed() =>
        Problems.Problem(
            StatusCodes.Status412PreconditionFailed,
            "La fiche a été modifiée entre-temps.",
            "Quelqu'un a enregistré une autre version depuis votre lecture. Relisez la fiche, reportez vos changements puis renvoyez-la.");

    public static ProblemHttpResult Conflict(string title, string? detail = null) =>
        Problems.Problem(StatusCodes.Status409Conflict, title, detail);
}
