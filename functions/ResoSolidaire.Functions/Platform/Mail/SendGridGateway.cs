using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SendGrid;

namespace ResoSolidaire.Functions.Platform.Mail;

/// <summary>What SendGrid said about one request, reduced to what the callers decide on.</summary>
public sealed record SendResult(HttpStatusCode? Status, TimeSpan? RetryAfter, string? Error)
{
    public bool Accepted => Status is { } s && (int)s is >= 200 and < 300;

    /// <summary>400-class answers other than 429 will fail again identically: not worth retrying.</summary>
    public bool Permanent => Status is { } s && (int)s is >= 400 and < 500 && s != HttpStatusCode.TooManyRequests;
}

/// <summary>
/// The only place that talks to SendGrid, always through its official client. Bodies are built as
/// JSON (the shape of POST /v3/mail/send) so that they can be kept in the outbox and sent again as they were.
/// </summary>
public sealed class SendGridGateway(IHttpClientFactory httpClientFactory, IOptions<SendGridOptions> options, TimeProvider time)
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
                return new SendResult(response.StatusCode, null, null);
            }

            var body = await response.Body.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new SendResult(response.StatusCode, RetryAfter(response), Summarize(body));
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(null, null, ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(null, null, "Timeout");
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

    private TimeSpan? RetryAfter(Response response)
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

    /// <summary>SendGrid's error messages name fields, never recipients; keep them short for storage and logs.</summary>
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
