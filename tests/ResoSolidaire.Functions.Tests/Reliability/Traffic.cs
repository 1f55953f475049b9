using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Functions.Tests.Porteurs;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Reliability;

/// <summary>
/// What one request of a load got back: its form (<see cref="Contact"/> or <see cref="Porteur"/>), the sender's
/// address, the status (0 when no answer came at all, with <c>Error</c> saying why), the reference of an accepted
/// post, the problem's title, Retry-After, and when the answer arrived from the start of the load.
/// </summary>
public sealed record Answer(
    int Form,
    string Email,
    int Status,
    string? Reference,
    string? MediaType,
    string? Title,
    TimeSpan? RetryAfter,
    TimeSpan At,
    string? Error)
{
    public const int Contact = 0;
    public const int Porteur = 1;

    public bool Accepted => Status == (int)HttpStatusCode.Created;
}

/// <summary>
/// Form submissions as the website sends them, each from a sender of its own (address and client), and a
/// load runner bounded in count and time.
/// </summary>
public sealed class Traffic : IDisposable
{
    private readonly HttpClient _client;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _sequence;

    public Traffic(Backend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = backend.Host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>
    /// Sends requests, <paramref name="concurrency"/> at a time, until <paramref name="maxRequests"/> were sent,
    /// <paramref name="limit"/> passed, or <paramref name="enough"/> says so (checked before each request). A
    /// sender whose post was refused waits <paramref name="pauseAfterRefusal"/> before the next one, as a
    /// website honouring Retry-After would (shortened).
    /// </summary>
    public async Task<IReadOnlyList<Answer>> RunAsync(
        int maxRequests,
        int concurrency,
        TimeSpan limit,
        Func<int, int> formOf,
        TimeSpan? pauseAfterRefusal = null,
        Func<IReadOnlyCollection<Answer>, bool>? enough = null)
    {
        ArgumentNullException.ThrowIfNull(formOf);
        var answers = new ConcurrentQueue<Answer>();
        var clock = Stopwatch.StartNew();
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= maxRequests || clock.Elapsed > limit || (enough?.Invoke(answers) ?? false))
                {
                    return;
                }

                var answer = await SendAsync(formOf(index), clock).ConfigureAwait(false);
                answers.Enqueue(answer);
                if (!answer.Accepted && pauseAfterRefusal is { } pause)
                {
                    await Task.Delay(pause).ConfigureAwait(false);
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        return [.. answers];
    }

    public async Task<Answer> SendAsync(int form, Stopwatch clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var number = Interlocked.Increment(ref _sequence);
        var email = string.Create(CultureInfo.InvariantCulture, $"charge-{_run}-{number}@exemple.fr");
        using var request = new HttpRequestMessage(HttpMethod.Post, form == Answer.Contact ? "api/contact" : "api/porteurs")
        {
            Content = form == Answer.Contact ? ContactBody(email, number) : PorteurBody(email, number),
        };
        // A client of its own for each sender, as the host sees it.
        request.Headers.Add("X-Forwarded-For", string.Create(CultureInfo.InvariantCulture, $"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"));
        try
        {
            using var response = await _client.SendAsync(request).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            string? reference = null, title = null;
            if (text.StartsWith('{'))
            {
                var json = JsonNode.Parse(text)!.AsObject();
                reference = json["reference"]?.GetValue<string>();
                title = json["title"]?.GetValue<string>();
            }

            return new Answer(form, email, (int)response.StatusCode, reference, response.Content.Headers.ContentType?.MediaType, title, response.Headers.RetryAfter?.Delta, clock.Elapsed, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new Answer(form, email, 0, null, null, null, null, clock.Elapsed, ex.GetType().Name + ": " + ex.Message);
        }
    }

    public static StringContent ContactBody(string email, int number) => new(
        JsonSerializer.Serialize(new
        {
            name = "Camille Martin",
            email,
            phone = "06 12 34 56 78",
            topic = "information",
            message = string.Create(CultureInfo.InvariantCulture, $"Bonjour, ceci est le message de charge numéro {number}."),
            consent = true,
        }),
        Encoding.UTF8,
        "application/json");

    /// <summary>An intake with one small PDF attachment, so that a blob is written before the row.</summary>
    public static MultipartFormDataContent PorteurBody(string email, int number)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in PorteurServiceTests.Fields("Cesson-Sévigné", "35510").Where(f => f.Key != "email"))
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }

        content.Add(new StringContent(email, Encoding.UTF8), "email");
        var pdf = SampleFiles.Pdf().Concat(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"% {number}\n"))).ToArray();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        content.Add(file, "attachments", "dossier.pdf");
        return content;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The submissions stored in a form's table (its duplicate markers left out), by reference.</summary>
    public static async Task<Dictionary<string, TableEntity>> SubmissionsAsync(Backend backend, string table)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var client = backend.Table(table);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        await foreach (var row in client.QueryAsync<TableEntity>("PartitionKey eq 'submission'", select: ["RowKey", "Email", "MailsQueued"]).ConfigureAwait(false))
        {
            if (!row.RowKey.StartsWith("dedup-", StringComparison.Ordinal))
            {
                rows[row.RowKey] = row;
            }
        }

        return rows;
    }

    /// <summary>Figures of a load, for the report and the assertion messages.</summary>
    public static string Describe(IReadOnlyCollection<Answer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var byStatus = string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()}")));
        var errors = string.Join(" | ", answers.Where(a => a.Error is not null).Select(a => a.Error).Distinct().Take(3));
        return $"{answers.Count} requests ({byStatus}){(errors.Length > 0 ? " errors: " + errors : "")}";
    }
}
