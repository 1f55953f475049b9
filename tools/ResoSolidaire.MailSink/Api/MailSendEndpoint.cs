using System.Buffers.Text;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using ResoSolidaire.MailSink.Validation;

namespace ResoSolidaire.MailSink.Api;

/// <summary><c>POST /v3/mail/send</c> as SendGrid answers it, minus the delivery.</summary>
internal static class MailSendEndpoint
{
    /// <summary>SendGrid refuses messages of 30 MB or more.</summary>
    public const long MaxBodyBytes = 30L * 1024 * 1024;

    /// <summary>Unparsable bodies are kept for diagnosis, but only their beginning.</summary>
    private const int MaxKeptUnparsableChars = 1024 * 1024;

    private const string RateLimit = "600";

    public static IEndpointRouteBuilder MapMailSend(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v3/mail/send", SendAsync);
        return routes;
    }

    private static async Task<IResult> SendAsync(
        HttpContext context,
        MailSinkOptions options,
        MailStore store,
        FaultPlan faults,
        MailSendValidator validator,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        var latency = faults.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, time, cancellationToken).ConfigureAwait(false);
        }

        if (Authorize(context.Request, options.ApiKey) is { } unauthorized)
        {
            return unauthorized;
        }

        if (faults.TryTake() is { } fault)
        {
            return Fault(context.Response, fault, time.GetUtcNow());
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return Errors(StatusCodes.Status400BadRequest, new SendGridError("Bad Request: Content-Encoding is gzip but the body is not gzip data.", "Content-Encoding"));
        }

        if (body is null)
        {
            return Errors(StatusCodes.Status413PayloadTooLarge, new SendGridError($"The request body must be less than {MaxBodyBytes / 1024 / 1024} MB."));
        }

        var id = NewMessageId();
        var receivedAt = time.GetUtcNow();
        var logger = loggerFactory.CreateLogger("ResoSolidaire.MailSink");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            var error = new SendGridError($"Bad Request: the body is not valid JSON ({exception.Message}).");
            store.Add(MailParser.Unparsed(id, receivedAt, Truncate(Encoding.UTF8.GetString(body)), [error]));
            logger.LogInformation("Send {MessageId} refused: body is not JSON", id);
            return Errors(StatusCodes.Status400BadRequest, error);
        }

        using (document)
        {
            var errors = validator.Validate(document.RootElement);
            var mail = MailParser.Parse(id, receivedAt, document.RootElement, Encoding.UTF8.GetString(body), errors);
            store.Add(mail);
            if (errors.Count > 0)
            {
                logger.LogInformation("Send {MessageId} refused with {ErrorCount} errors", id, errors.Count);
                return Errors(StatusCodes.Status400BadRequest, [.. errors]);
            }

            logger.LogInformation("Send {MessageId} accepted: {PersonalizationCount} personalizations, {RecipientCount} recipients",
                id, mail.Personalizations.Count, mail.RecipientCount);
            context.Response.Headers["X-Message-Id"] = id;
            return Results.StatusCode(StatusCodes.Status202Accepted);
        }
    }

    private static IResult? Authorize(HttpRequest request, string? expectedKey)
    {
        var header = request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        if (key.Length == 0)
        {
            return Errors(StatusCodes.Status401Unauthorized, new SendGridError("authorization required"));
        }

        if (expectedKey is not null
            && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(expectedKey)))
        {
            return Errors(StatusCodes.Status401Unauthorized, new SendGridError("The provided authorization grant is invalid, expired, or revoked"));
        }

        return null;
    }

    private static IResult Fault(HttpResponse response, FaultPlan.Fault fault, DateTimeOffset now)
    {
        if (fault.StatusCode == StatusCodes.Status429TooManyRequests)
        {
            var reset = now.AddTicks(fault.RetryAfter.Ticks);
            var resetSeconds = reset.ToUnixTimeSeconds() + (reset.ToUnixTimeMilliseconds() % 1000 == 0 ? 0 : 1);
            response.Headers["X-RateLimit-Limit"] = RateLimit;
            response.Headers["X-RateLimit-Remaining"] = "0";
            response.Headers["X-RateLimit-Reset"] = resetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Errors(fault.StatusCode, new SendGridError("too many requests"));
        }

        return Errors(fault.StatusCode, new SendGridError(ReasonPhrases.GetReasonPhrase(fault.StatusCode).ToLowerInvariant()));
    }

    /// <summary>The (gunzipped) body, or null when it reaches <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The limit below applies to the decompressed body, and answers SendGrid's 413 rather than Kestrel's.
            limit.MaxRequestBodySize = null;
        }

        var request = context.Request;
        if (request.ContentLength >= MaxBodyBytes)
        {
            return null;
        }

        var gzip = string.Equals(request.Headers.ContentEncoding.ToString(), "gzip", StringComparison.OrdinalIgnoreCase);
        var source = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : request.Body;
        await using (source.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read >= MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static IResult Errors(int statusCode, params SendGridError[] errors) =>
        Results.Json(new SendGridErrorBody(errors), statusCode: statusCode);

    private static string NewMessageId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    private static string Truncate(string text) => text.Length <= MaxKeptUnparsableChars ? text : text[..MaxKeptUnparsableChars];

    private sealed record SendGridErrorBody(IReadOnlyList<SendGridError> Errors);
}
