using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Functions.Tests.EndToEnd;
using ResoSolidaire.MailSink;

namespace ResoSolidaire.Functions.Tests.Platform;

/// <summary>
/// What SendGrid (the local sink) or the network answered becomes one French sentence for staff; SendGrid's
/// English text, the status code and the exception go to the log only.
/// </summary>
public sealed class SendGridGatewayTests
{
    [Fact]
    public async Task ARefusedMailIsToldInFrenchAndSendGridsOwnTextStaysInTheLog()
    {
        await using var sink = await MailSinkServer.StartAsync(new MailSinkOptions { Port = 0 });
        var log = new ListLogger();
        var gateway = Gateway(sink.BaseAddress, TimeSpan.FromSeconds(30), log);

        var result = await gateway.SendAsync("""{ "subject": "Sans destinataire" }""", CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.True(result.Permanent);
        Assert.Equal("SendGrid a refusé ce message (erreur 400) ; le détail technique est dans le journal de l'application.", result.Reason);
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(400, entry.State["StatusCode"]);
        Assert.Contains("personalizations", entry.State["SendGridErrors"]?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARateLimitAndAnOutageAreToldInFrench()
    {
        await using var sink = await MailSinkServer.StartAsync(new MailSinkOptions { Port = 0 });
        var gateway = Gateway(sink.BaseAddress, TimeSpan.FromSeconds(30), new ListLogger());
        sink.Faults.FailNext(429, 1);
        var limited = await gateway.SendAsync(ValidMail, CancellationToken.None);
        sink.Faults.FailNext(503, 1);
        var unavailable = await gateway.SendAsync(ValidMail, CancellationToken.None);

        Assert.Equal("SendGrid a refusé temporairement l'envoi (trop de requêtes).", limited.Reason);
        Assert.False(limited.Permanent);
        Assert.Equal("Le service d'envoi SendGrid est momentanément indisponible (erreur 503).", unavailable.Reason);
    }

    [Fact]
    public async Task AServiceThatDoesNotAnswerInTimeIsToldInFrenchAndTheExceptionIsLoggedWithItsStack()
    {
        await using var sink = await MailSinkServer.StartAsync(new MailSinkOptions { Port = 0 });
        sink.Faults.Latency = TimeSpan.FromSeconds(5);
        var log = new ListLogger();
        var gateway = Gateway(sink.BaseAddress, TimeSpan.FromMilliseconds(300), log);

        var result = await gateway.SendAsync(ValidMail, CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.Equal("Le service d'envoi n'a pas répondu à temps.", result.Reason);
        Assert.NotNull(Assert.Single(log.Entries).Exception?.StackTrace);
    }

    [Fact]
    public async Task AServiceThatCannotBeReachedIsToldInFrenchWithoutDotNetsErrorName()
    {
        var log = new ListLogger();
        var gateway = Gateway(new Uri($"http://127.0.0.1:{ClosedPort()}"), TimeSpan.FromSeconds(30), log);

        var result = await gateway.SendAsync(ValidMail, CancellationToken.None);

        Assert.Null(result.Status);
        Assert.Equal("Le service d'envoi est injoignable (connexion impossible).", result.Reason);
        Assert.Empty(PersonFacingText.InText("raison", result.Reason));
        var entry = Assert.Single(log.Entries);
        Assert.Equal(HttpRequestError.ConnectionError, entry.State["HttpRequestError"]);
        Assert.IsType<HttpRequestException>(entry.Exception);
    }

    [Fact]
    public void EveryFailureHasAFrenchSentenceForStaff()
    {
        foreach (var failure in Enum.GetValues<SendFailure>().Where(f => f != SendFailure.None))
        {
            var result = new SendResult(failure is SendFailure.Timeout or SendFailure.Unreachable ? null : HttpStatusCode.ServiceUnavailable, null, failure);
            Assert.False(string.IsNullOrWhiteSpace(result.Reason));
            Assert.Empty(PersonFacingText.InText(failure.ToString(), result.Reason));
        }
    }

    private const string ValidMail = """
        { "personalizations": [{ "to": [{ "email": "camille@exemple.fr" }] }], "from": { "email": "contact@reso-solidaire.example" },
          "subject": "Bonjour", "content": [{ "type": "text/plain", "value": "Bonjour." }] }
        """;

    private static SendGridGateway Gateway(Uri host, TimeSpan timeout, ListLogger log) =>
        new(new OneClient(timeout), Options.Create(new SendGridOptions { ApiKey = "SG.test", Host = host }), TimeProvider.System, log);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class OneClient(TimeSpan timeout) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = timeout };
    }

    internal sealed record LogEntry(LogLevel Level, IReadOnlyDictionary<string, object?> State, Exception? Exception);

    private sealed class ListLogger : ILogger<SendGridGateway>
    {
        public List<LogEntry> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            Entries.Add(new LogEntry(logLevel, values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), exception));
        }
    }
}
