using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>The body of a post that passed the gate, or the reason it did not (nothing stored).</summary>
public sealed record GateResult(BodyKind? Kind, FormBody? Body, FormRejection? Rejection)
{
    public FormResult Reject() => FormResult.Rejected(Rejection!) with { Kind = Kind, Redirect = Body?.Field(FormResponder.RedirectField) };
}

/// <summary>
/// What every public form goes through before its own checks: a content type it takes (415), the
/// client's rate limit (429), and a body within its caps (413).
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

        var decision = await limiter.TryAcquireAsync(form, clients.Of(request), cancellationToken).ConfigureAwait(false);
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

        return new GateResult(kind, read.Body, read.Rejection);
    }
}
