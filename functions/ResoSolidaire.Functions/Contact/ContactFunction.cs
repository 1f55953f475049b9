namespace ResoSolidaire.Functions.Contact;

/// <summary>The website's contact form.</summary>
public sealed class ContactFunction(ContactService form, FormPipeline pipeline)
{
    [Function(nameof(PostContactMessage))]
    public Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> PostContactMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "contact")] HttpRequest request) =>
        pipeline.HandleAsync(request, form);
}
