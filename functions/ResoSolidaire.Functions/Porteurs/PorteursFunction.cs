using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using ResoSolidaire.Functions.Platform.Forms;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>The website's intake form for porteurs de projet.</summary>
public sealed class PorteursFunction(PorteurService service, FormResponder responder)
{
    [Function(nameof(PostPorteurDeProjet))]
    public async Task<Results<Created<SubmissionReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> PostPorteurDeProjet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "porteurs")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await service.SubmitAsync(request, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return responder.Respond(request, result, PorteurForm.Name, PorteurForm.Labels);
    }
}
