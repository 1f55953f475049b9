namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// The one way an anonymous form is received, whatever the form: content type (415), rate limit (429),
/// body read within its caps (413), honeypot, the form's checks (400, 413, 415), duplicate, the client's
/// accepted budget (429), store, outbox. <see cref="FormResponder"/> then answers a script with JSON and
/// problem documents, a browser's plain form post with a 303 or a French page. A refused post stores nothing.
/// </summary>
public sealed class FormPipeline(FormGate gate, FormResponder responder, ILogger<FormPipeline> logger)
{
    /// <summary>Receives a post to <paramref name="form"/> and answers it.</summary>
    public async Task<Results<Created<SubmissionReceipt>, Accepted<PendingReceipt>, ValidationProblem, ProblemHttpResult, ContentHttpResult, SeeOtherHttpResult>> HandleAsync<TPosted, TSubmission>(
        HttpRequest request,
        IPublicForm<TPosted, TSubmission> form)
        where TPosted : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(form);
        var result = await RunAsync(request, form, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return responder.Respond(request, result, form.Name, form.Labels);
    }

    /// <summary>Receives a post to <paramref name="form"/>: what was decided, before it is answered.</summary>
    public async Task<FormResult> RunAsync<TPosted, TSubmission>(HttpRequest request, IPublicForm<TPosted, TSubmission> form, CancellationToken cancellationToken)
        where TPosted : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(form);
        var passed = await gate.PassAsync(request, form.Name, form.TakesFiles, cancellationToken).ConfigureAwait(false);
        if (passed.Rejection is not null)
        {
            return passed.Reject();
        }

        var body = passed.Body!;
        var result = await DecideAsync(passed, body, form, cancellationToken).ConfigureAwait(false);
        return result with { Kind = body.Kind, Redirect = body.Field(FormResponder.RedirectField) };
    }

    private async Task<FormResult> DecideAsync<TPosted, TSubmission>(GateResult passed, FormBody body, IPublicForm<TPosted, TSubmission> form, CancellationToken cancellationToken)
        where TPosted : class
    {
        var errors = new FieldErrors();
        var posted = body.Kind == BodyKind.Json ? FormBodyReader.BindJson<TPosted>(body.Json, errors) : form.FromFields(body);
        if (posted is null)
        {
            return FormResult.Rejected(FormRejection.Invalid(errors));
        }

        // A robot gets an answer that looks like success; the post stays counted as refused.
        if (Honeypot.IsTripped(form.HoneypotOf(posted)))
        {
            logger.LogWarning("Form {Form}: honeypot filled, submission dropped", form.Name);
            return form.Decoy();
        }

        var check = form.Check(posted, body, errors);
        if (check.Refusal is { } refusal)
        {
            logger.LogWarning("Form {Form}: refused with status {Status} by its checks", form.Name, refusal.Status);
            return FormResult.Rejected(refusal);
        }

        if (errors.Any || check.Submission is not { } submission)
        {
            return FormResult.Rejected(FormRejection.Invalid(errors));
        }

        if (await form.FindDuplicateAsync(submission, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            logger.LogInformation("Form {Form}: duplicate answered with the first answer", form.Name);
            return earlier;
        }

        // Only now does the post count against the client's accepted submissions (a duplicate does not).
        if (await gate.AcceptAsync(passed, form.Name, cancellationToken).ConfigureAwait(false) is { } limited)
        {
            return FormResult.Rejected(limited);
        }

        return await form.StoreAsync(submission, cancellationToken).ConfigureAwait(false);
    }
}
