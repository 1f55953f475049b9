using System.Diagnostics;
using System.Net;

namespace ResoSolidaire.MailSink.Tests;

public class LoadTests
{
    [Fact]
    public async Task AHundredThousandRecipientsGoThroughAHundredSendsQuickly()
    {
        await using var sink = await Sink.StartAsync();
        using var http = sink.Http();
        var body = SendBody.Valid().WithPersonalizations(1000).ToJsonString();

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            using var response = await http.PostSendAsync(body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Equal(100_000, sink.Messages.TotalRecipients);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        Console.WriteLine($"100 x 1000 recipients in {stopwatch.Elapsed}");
    }
}
