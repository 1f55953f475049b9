namespace ResoSolidaire.Functions.Porteurs;

/// <summary>The website's intake form for porteurs de projet.</summary>
public sealed class PorteursFunction(PorteurService form, FormPipeline pipeline)
{
    [Function(nameof(PostPorteurDeProjet))]
    public async Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> PostPorteurDeProjet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "porteurs")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await pipeline.HandleAsync(request, await form.FormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }
}
