using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace ResoSolidaire.MailSink.Tests;

public class FaultTests
{
    [Fact]
    public async Task ARateLimitFaultAnswers429WithItsResetTimeThenTheSinkRecovers()
    {
        await using var sink = await Sink.StartAsync();
        var client = sink.Client();
        sink.Faults.FailNext(429, count: 1, retryAfter: TimeSpan.FromSeconds(30));
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var limited = await client.SendEmailAsync(Sink.Newsletter());
        var retried = await client.SendEmailAsync(Sink.Newsletter());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("0", Assert.Single(limited.Headers.GetValues("X-RateLimit-Remaining")));
        Assert.NotEmpty(limited.Headers.GetValues("X-RateLimit-Limit"));
        var reset = long.Parse(Assert.Single(limited.Headers.GetValues("X-RateLimit-Reset")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reset, before + 30, before + 32);
        Assert.Single((await SendGridErrors.ReadAsync(limited.Body)).Errors);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Single(sink.Messages.Snapshot());
        Assert.Equal(1, sink.Faults.TotalFaulted);
    }

    [Fact]
    public async Task AServerErrorPlannedOverHttpLastsForTheGivenNumberOfSends()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var client = sink.Client();

        using var planned = await http.PostAsJsonAsync("api/faults", new { status = 500, count = 2 });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.SendEmailAsync(Sink.Newsletter())).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.Accepted], statuses);
        Assert.Single(sink.Messages.Snapshot());
        Assert.Equal(1, sink.Messages.TotalAccepted);
    }

    [Fact]
    public async Task AFaultWithoutCountLastsUntilCleared()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var client = sink.Client();

        (await http.PostAsJsonAsync("api/faults", new { status = 503 })).Dispose();
        var during = new[] { (await client.SendEmailAsync(Sink.Newsletter())).StatusCode, (await client.SendEmailAsync(Sink.Newsletter())).StatusCode };
        (await http.DeleteAsync("api/faults")).Dispose();
        var after = (await client.SendEmailAsync(Sink.Newsletter())).StatusCode;

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], during);
        Assert.Equal(HttpStatusCode.Accepted, after);
        Assert.Equal(2, sink.Faults.TotalFaulted);
    }

    [Fact]
    public async Task AnUnsupportedFaultStatusIsRefusedAsAValidationProblem()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();

        using var response = await http.PostAsJsonAsync("api/faults", new { status = 404, count = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(sink.Faults.StatusCode);
    }

    [Fact]
    public async Task ALatencyDelaysEveryAnswer()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        (await http.PostAsJsonAsync("api/faults", new { latencyMs = 300 })).Dispose();

        var stopwatch = Stopwatch.StartNew();
        var response = await sink.Client().SendEmailAsync(Sink.Newsletter());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {stopwatch.Elapsed}");
    }
}
