namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>The body of a post that passed the gate, or the reason it did not (nothing stored).</summary>
public sealed record GateResult(BodyKind? Kind, FormBody? Body, FormRejection? Rejection, RateLimitTicket? Ticket = null)
{
    public FormResult Reject() => FormResult.Rejected(Rejection!) with { Kind = Kind, Redirect = Body?.Field(FormResponder.RedirectField) };
}

/// <summary>
/// What every public form goes through before its own checks (run by <see cref="FormPipeline"/>): a
/// content type it takes (415), the client's rate limit (429), and a body within its caps (413). The
/// pipeline then checks the honeypot and the form's fields, and calls <see cref="AcceptAsync"/> before
/// anything is kept: until then the post counts against the client's looser budget of refused posts.
/// </summary>
public sealed class FormGate(ClientIdentity clients, RateLimiter limiter, FormBodyReader reader, ILogger<FormGate> logger)
{
    public async Task<GateResult> PassAsync(HttpRequest request, string form, bool allowFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = FormBodyReader.KindOf(request, allowFiles);
        if (kind is null)
        {
            var accepted = allowFiles ? "JSON, application/x-www-form-urlencoded ou multipart/form-data" : "JSON ou application/x-www-form-urlencoded";
            return new GateResult(null, null, FormRejection.UnsupportedContentType(accepted));
        }

        var decision = await limiter.TryEnterAsync(form, clients.Of(request), cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            logger.LogWarning("Form {Form} rate-limited a client for {RetryAfterSeconds} s", form, (int)decision.RetryAfter.TotalSeconds);
            return new GateResult(kind, null, FormRejection.RateLimited(decision.RetryAfter));
        }

        var read = await reader.ReadAsync(request, kind.Value, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejection)
        {
            logger.LogInformation("Form {Form} refused a {BodyKind} body with status {Status}", form, kind, rejection.Status);
        }

        return new GateResult(kind, read.Body, read.Rejection, decision.Ticket);
    }

    /// <summary>
    /// Counts a submission that passed every check as accepted, or refuses it (429, nothing kept) when the
    /// client's accepted submissions for this window are spent.
    /// </summary>
    public async Task<FormRejection?> AcceptAsync(GateResult passed, string form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(passed);
        if (passed.Ticket is null)
        {
            throw new InvalidOperationException("Only a post that passed the gate can be accepted.");
        }

        var decision = await limiter.TryAcceptAsync(passed.Ticket, cancellationToken).ConfigureAwait(false);
        if (decision.Allowed)
        {
            return null;
        }

        logger.LogWarning("Form {Form} rate-limited a client's accepted submissions for {RetryAfterSeconds} s", form, (int)decision.RetryAfter.TotalSeconds);
        return FormRejection.RateLimited(decision.RetryAfter);
    }
}
