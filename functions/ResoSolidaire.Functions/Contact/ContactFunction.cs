using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using ResoSolidaire.Functions.Platform.Forms;

namespace ResoSolidaire.Functions.Contact;

/// <summary>The website's contact form.</summary>
public sealed class ContactFunction(ContactService form, FormPipeline pipeline)
{
    [Function(nameof(PostContactMessage))]
    public Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> PostContactMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "contact")] HttpRequest request) =>
        pipeline.HandleAsync(request, form);
}
