namespace ResoSolidaire.Functions.Privacy;

/// <summary>The address a request is about. It travels in the body, never in the URL (URLs end up in logs).</summary>
public sealed record PrivacyRequest(string? Email);

/// <summary>Staff endpoints for the rights of access and erasure; the retention timer.</summary>
public sealed class PrivacyFunctions(PrivacyService privacy)
{
    [Function(nameof(AccessPersonalData))]
    public async Task<Results<Ok<PersonalDataReport>, ProblemHttpResult>> AccessPersonalData(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/privacy/access")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Administration) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var (email, problem) = await ReadAsync(request).ConfigureAwait(false);
        if (email is null)
        {
            return problem!;
        }

        return TypedResults.Ok(await privacy.AccessAsync(email, StaffPrincipal.Read(request)!, request.HttpContext.RequestAborted).ConfigureAwait(false));
    }

    [Function(nameof(ErasePersonalData))]
    public async Task<Results<Ok<ErasureReport>, ProblemHttpResult>> ErasePersonalData(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/privacy/erasure")] HttpRequest request)
    {
        if (StaffAccess.Deny(request, StaffRole.Administration) is { } denied)
        {
            return denied;
        }

        ArgumentNullException.ThrowIfNull(request);
        var (email, problem) = await ReadAsync(request).ConfigureAwait(false);
        if (email is null)
        {
            return problem!;
        }

        // Once started, an erasure runs to its end even if the caller goes away.
        return TypedResults.Ok(await privacy.EraseAsync(email, StaffPrincipal.Read(request)!, CancellationToken.None).ConfigureAwait(false));
    }

    [Function(nameof(PurgeExpiredPersonalData))]
    public async Task PurgeExpiredPersonalData([TimerTrigger("%RetentionPurgeSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await privacy.PurgeAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(EmailAddress? Email, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request)
    {
        var body = await StaffJsonBinder.ReadAsync<PrivacyRequest>(request).ConfigureAwait(false);
        if (body.IsRefused)
        {
            return (null, body.Problem);
        }

        var errors = new FieldErrors();
        var email = FieldRules.EmailOrNull(errors, "email", body.Value.Email);
        return (email, email is null ? Problems.InvalidBody(errors.ToDictionary()) : null);
    }
}
