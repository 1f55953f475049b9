using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ResoSolidaire.Testing;
using Xunit.Abstractions;

namespace ResoSolidaire.Functions.Tests.Reliability;

/// <summary>
/// Hundreds of bad requests against every endpoint the host declares: each is refused with a 4xx in French
/// (a problem document, or a French page on the routes people reach from a mail), never a 5xx, and nothing is stored.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class HostileInputTests(SuiteLogs logs, ITestOutputHelper output)
{
    /// <summary>Rate-limit counters are written for every post, refused or not (docs/forms.md): they are not counted as stored data.</summary>
    private const string RateLimitTable = "FormRateLimits";

    private static readonly string[] EnglishTitles =
    [
        "Bad Request", "Not Found", "Unauthorized", "Forbidden", "Unsupported Media Type", "Payload Too Large", "Request Entity Too Large",
        "One or more validation errors occurred.", "Method Not Allowed", "Gone", "An error occurred while processing your request.",
    ];

    private static readonly string[] FrenchWords =
    [
        "demande", "requête", "invalide", "introuvable", "autoris", "refus", "trop", "lien", "champ", "clé", "accès", "service", "erreur", "format",
        "fichier", "signature", "expir", "manquant", "inconnu", "n'est", "cette", " pas ", " les ", " une ", " des ", "envoyez", "merci", "veuillez",
    ];

    [Fact]
    public async Task EveryBadRequestToEveryEndpointIsRefusedWithAFrench4xxAndStoresNothing()
    {
        using var webhookKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var backend = await logs.StartBackendAsync(new()
        {
            ["SendGrid__WebhookPublicKey"] = Convert.ToBase64String(webhookKey.ExportSubjectPublicKeyInfo()),
        });
        var corpus = HostileCorpus.Build(backend.Host.Functions, Backend.AdministrationToken, webhookKey);
        Assert.True(corpus.Count >= 200, $"The corpus holds {corpus.Count} requests only.");
        var before = await StoredAsync(backend);

        using var client = new HttpClient { BaseAddress = backend.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var pages = new ConcurrentDictionary<string, byte>();
        await Parallel.ForEachAsync(corpus.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (item, cancellationToken) =>
        {
            var (hostile, number) = item;
            try
            {
                using var request = hostile.ToRequest(number);
                using var response = await client.SendAsync(request, cancellationToken);
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var verdict = await JudgeAsync(hostile, response);
                if (verdict is not null)
                {
                    failures.Enqueue($"{hostile}: {status} {verdict}");
                }
                else if (response.Content.Headers.ContentType?.MediaType == "text/html")
                {
                    pages.TryAdd(hostile.Function, 0);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failures.Enqueue($"{hostile}: no answer ({ex.GetType().Name})");
            }
        });

        var after = await StoredAsync(backend);
        var figures = $"{corpus.Count} hostile requests over {corpus.Select(c => c.Function).Distinct().Count()} functions: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}: {s.Value}")))
            + "; French HTML pages from " + string.Join(", ", pages.Keys.Order(StringComparer.Ordinal));
        output.WriteLine(figures);
        Assert.True(failures.IsEmpty, $"{failures.Count} answer(s) out of line:\n" + string.Join('\n', failures.Take(40)) + "\n" + logs.Problems());
        Assert.Equal(before, after);
        Assert.Empty(backend.Mail.Messages.Snapshot());
        logs.AssertNoLeak();
    }

    /// <summary>Null when the answer is a refusal in French; otherwise what is wrong with it.</summary>
    private static async Task<string?> JudgeAsync(HostileCase hostile, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is < 400 or >= 500)
        {
            return "not a 4xx";
        }

        var type = response.Content.Headers.ContentType?.MediaType;
        var text = await response.Content.ReadAsStringAsync();
        if (status is 401 or 404 && text.Length == 0)
        {
            // The platform's own refusal (no key, no route): Azure's host sends it with an empty body, so only the
            // status is judged; a body, when there is one, must still be French.
            return null;
        }

        if (type == "application/problem+json")
        {
            var title = JsonNode.Parse(text)?["title"]?.GetValue<string>();
            return LooksFrench(title) ? null : $"title not in French: {title}";
        }

        if (type == "text/html" && hostile.HtmlAllowed)
        {
            return text.Contains("lang=\"fr\"", StringComparison.Ordinal) ? null : "HTML page not in French";
        }

        return $"{type ?? "no content type"}: {(text.Length > 120 ? text[..120] : text)}";
    }

    private static bool LooksFrench(string? title) =>
        !string.IsNullOrWhiteSpace(title)
        && !EnglishTitles.Contains(title, StringComparer.OrdinalIgnoreCase)
        && (title.Any(c => "éèêàâçùûôîœ".Contains(c, StringComparison.Ordinal))
            || FrenchWords.Any(w => title.Contains(w, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Rows of every table and blobs of every container that carry the backend's prefix (rate-limit counters left out).</summary>
    private static async Task<Dictionary<string, int>> StoredAsync(Backend backend)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var table in backend.Tables.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {backend.NamePrefix} and TableName lt {backend.NamePrefix + "~"}")))
        {
            if (table.Name == backend.NamePrefix + RateLimitTable)
            {
                continue;
            }

            var rows = 0;
            await foreach (var _ in backend.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["RowKey"]))
            {
                rows++;
            }

            counts["table " + table.Name] = rows;
        }

        await foreach (var container in backend.Blobs.GetBlobContainersAsync(prefix: backend.NamePrefix))
        {
            var blobs = 0;
            await foreach (var _ in backend.Blobs.GetBlobContainerClient(container.Name).GetBlobsAsync())
            {
                blobs++;
            }

            counts["container " + container.Name] = blobs;
        }

        // Tables created empty by a refused request hold nothing: only what has rows counts.
        return counts.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
    }
}
