using SendGrid;

namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>Why a request to SendGrid did not succeed, as the callers decide on it.</summary>
public enum SendFailure
{
    None,

    /// <summary>429: SendGrid asks to slow down.</summary>
    RateLimited,

    /// <summary>5xx (or any other unexpected answer): worth retrying later.</summary>
    Unavailable,

    /// <summary>401 or 403: the API key is wrong or lacks the permission to send.</summary>
    Unauthorized,

    /// <summary>Another 4xx: the request itself is refused and would be refused again.</summary>
    Refused,

    /// <summary>No answer in time: the request may or may not have reached SendGrid.</summary>
    Timeout,

    /// <summary>No connection (name resolution, refused connection, TLS).</summary>
    Unreachable,
}

/// <summary>
/// What SendGrid said about one request, reduced to what the callers decide on. <see cref="Reason"/> is
/// the French sentence staff read (in a delivery report, a delivery view); SendGrid's own error text and
/// the exception stay in the logs.
/// </summary>
public sealed record SendResult(HttpStatusCode? Status, TimeSpan? RetryAfter, SendFailure Failure)
{
    public bool Accepted => Failure == SendFailure.None;

    /// <summary>400-class answers other than 429 will fail again identically: not worth retrying.</summary>
    public bool Permanent => Failure is SendFailure.Refused or SendFailure.Unauthorized;

    public bool TimedOut => Failure == SendFailure.Timeout;

    public string? Reason => Failure switch
    {
        SendFailure.None => null,
        SendFailure.RateLimited => "SendGrid a refusé temporairement l'envoi (trop de requêtes).",
        SendFailure.Unauthorized => $"SendGrid a refusé la clé d'accès (erreur {Code}) : vérifiez la configuration de l'envoi.",
        SendFailure.Refused => $"SendGrid a refusé ce message (erreur {Code}) ; le détail technique est dans le journal de l'application.",
        SendFailure.Timeout => "Le service d'envoi n'a pas répondu à temps.",
        SendFailure.Unreachable => "Le service d'envoi est injoignable (connexion impossible).",
        _ => $"Le service d'envoi SendGrid est momentanément indisponible (erreur {Code}).",
    };

    private string Code => Status is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : "sans réponse";

    public static SendResult Of(HttpStatusCode status, TimeSpan? retryAfter) => new(status, retryAfter, (int)status switch
    {
        >= 200 and < 300 => SendFailure.None,
        429 => SendFailure.RateLimited,
        401 or 403 => SendFailure.Unauthorized,
        >= 400 and < 500 => SendFailure.Refused,
        _ => SendFailure.Unavailable,
    });
}

/// <summary>
/// The only place that talks to SendGrid, always through its official client. Bodies are built as
/// JSON (the shape of POST /v3/mail/send) so that they can be kept in the outbox and sent again as they were.
/// </summary>
public sealed class SendGridGateway(IHttpClientFactory httpClientFactory, IOptions<SendGridOptions> options, TimeProvider time, ILogger<SendGridGateway> logger)
{
    public const string HttpClientName = "SendGrid";

    private readonly SendGridOptions _options = options.Value;

    public async Task<SendResult> SendAsync(string mailSendJson, CancellationToken cancellationToken)
    {
        var client = new SendGridClient(httpClientFactory.CreateClient(HttpClientName), new SendGridClientOptions
        {
            ApiKey = _options.ApiKey,
            Host = _options.Host.ToString().TrimEnd('/'),
        });
        try
        {
            var response = await client.RequestAsync(
                method: BaseClient.Method.POST,
                requestBody: mailSendJson,
                urlPath: "mail/send",
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return SendResult.Of(response.StatusCode, null);
            }

            var body = await response.Body.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            logger.LogWarning("SendGrid answered {StatusCode}: {SendGridErrors}", (int)response.StatusCode, Summarize(body));
            return SendResult.Of(response.StatusCode, RetryAfter(response));
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "SendGrid unreachable ({HttpRequestError})", ex.HttpRequestError);
            return new SendResult(null, null, SendFailure.Unreachable);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "SendGrid did not answer in time");
            return new SendResult(null, null, SendFailure.Timeout);
        }
    }

    /// <summary>Is the mail API answering at all? Any HTTP answer counts; nothing is sent.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, _options.Host);
            using var response = await httpClientFactory.CreateClient(HttpClientName)
                .SendAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private TimeSpan? RetryAfter(SendGrid.Response response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), out var resetEpoch))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(resetEpoch) - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>SendGrid's error messages name fields, never recipients; keep them short for the logs.</summary>
    private static string? Summarize(string body)
    {
        try
        {
            var messages = JsonNode.Parse(body)?["errors"]?.AsArray()
                .Select(e => $"{e?["field"]}: {e?["message"]}")
                .ToArray();
            var text = messages is { Length: > 0 } ? string.Join(" | ", messages) : null;
            return text is { Length: > 1000 } ? text[..1000] : text;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
