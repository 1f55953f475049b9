using System.Net;

namespace ResoSolidaire.MailSink.Tests;

/// <summary>
/// A month's newsletter at scale: every recipient is kept. How fast the sink answers is measured by the newsletter
/// benchmark (docs/benchmarks.md, CPU per recipient of the sink), never by a timed test.
/// </summary>
public class LoadTests
{
    [Fact]
    public async Task AHundredThousandRecipientsInAHundredSendsAreAllKept()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid().WithPersonalizations(1000).ToJsonString();

        for (var i = 0; i < 100; i++)
        {
            using var response = await http.PostSendAsync(body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Equal(100_000, sink.Messages.TotalRecipients);
    }
}
