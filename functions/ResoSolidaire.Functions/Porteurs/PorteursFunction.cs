namespace ResoSolidaire.Functions.Porteurs;

/// <summary>The website's intake form for porteurs de projet.</summary>
public sealed class PorteursFunction(PorteurService form, FormPipeline pipeline)
{
    [Function(nameof(PostPorteurDeProjet))]
    public Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> PostPorteurDeProjet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "porteurs")] HttpRequest request) =>
        pipeline.HandleAsync(request, form);
}
