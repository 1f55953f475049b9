using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using ResoSolidaire.Functions.Platform.Forms;

namespace ResoSolidaire.Functions.Contact;

/// <summary>The website's contact form.</summary>
public sealed class ContactFunction(ContactService service, FormResponder responder)
{
    [Function(nameof(PostContactMessage))]
    public async Task<Results<Created<SubmissionReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> PostContactMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "contact")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await service.SubmitAsync(request, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return responder.Respond(request, result, ContactForm.Name, ContactForm.Labels);
    }
}
