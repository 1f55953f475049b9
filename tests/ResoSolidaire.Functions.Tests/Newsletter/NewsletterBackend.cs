using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Newsletter.Dispatch;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Platform.Tokens;
using ResoSolidaire.MailSink;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>Builders and probes for the newsletter's end-to-end tests, over a <see cref="Backend"/> of the test's own.</summary>
internal static class NewsletterBackend
{
    /// <summary>The signing key the tests give the app, so that they can issue links as the app does.</summary>
    public static readonly string SigningKey = Convert.ToBase64String(SHA256.HashData("tests-signing-key"u8.ToArray()));

    /// <summary>The key of an address as the app computes it, with the Privacy__EmailHashKey of local.settings.sample.json.</summary>
    public static EmailHasher Hasher { get; } = new(Options.Create(new EmailHashOptions
    {
        EmailHashKey = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))!["Values"]!["Privacy__EmailHashKey"]!.GetValue<string>(),
    }));

    public static string EmailKeyOf(string email) => Hasher.Hash(EmailAddress.Parse(email));

    public static SignedTokens Tokens(TimeProvider? time = null) =>
        new(Options.Create(new TokenOptions { SigningKey = SigningKey }), time ?? TimeProvider.System);

    public static Task<Backend> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var options = new BackendOptions
        {
            Settings =
            {
                ["Tokens__SigningKey"] = SigningKey,
                ["Newsletter__DispatchLeaseSeconds"] = "15",
                ["Newsletter__BatchSize"] = "5",
                ["Forms__ThankYouUrl"] = "http://localhost:8080/merci.html",
                ["Forms__AllowedRedirectOrigins"] = "http://localhost:8080",
            },
        };
        foreach (var (name, value) in settings ?? [])
        {
            options.Settings[name] = value;
        }

        return Backend.StartAsync(options);
    }

    public static async Task<IReadOnlyList<string>> SeedSubscribersAsync(Backend backend, int count)
    {
        var table = backend.Table("NewsletterSubscribers");
        await table.CreateIfNotExistsAsync();
        var emails = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"abonne{i:D3}-{Guid.NewGuid():N}@exemple.fr")).ToList();
        foreach (var chunk in emails.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(email => new TableTransactionAction(TableTransactionActionType.Add, new SubscriberEntity
            {
                RowKey = EmailKeyOf(email),
                Email = email,
                Name = "Abonné de test",
                Status = SubscriberStatus.Confirmed,
                CreatedAt = DateTimeOffset.UtcNow,
                ConsentAt = DateTimeOffset.UtcNow,
                ConsentTextVersion = "2026-01",
                ConsentSource = "test",
                ConfirmedAt = DateTimeOffset.UtcNow,
            })));
        }

        return emails;
    }

    /// <summary>Creates an edition due since yesterday and approves it, as staff would.</summary>
    public static async Task<string> ApprovedEditionDueNowAsync(Backend backend)
    {
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var created = await backend.StaffClient.PostAsJsonAsync("api/staff/newsletter/editions", new
        {
            subject = "La lettre de test",
            intro = "Bonjour, voici **les nouvelles** du réseau.",
            news = new[] { new { title = "Une nouvelle", text = "Du texte." } },
            sendDate = yesterday,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var approved = await backend.StaffClient.PostAsync($"api/staff/newsletter/editions/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        return id;
    }

    public static async Task<JsonObject> EditionAsync(Backend backend, string id) =>
        (await backend.StaffClient.GetFromJsonAsync<JsonObject>($"api/staff/newsletter/editions/{id}"))!;

    public static async Task<JsonObject> DeliveryAsync(Backend backend, string id) =>
        (await backend.StaffClient.GetFromJsonAsync<JsonObject>($"api/staff/newsletter/editions/{id}/delivery"))!;

    /// <summary>Fires the dispatch timer every couple of seconds (as the schedule would) until the edition is sent.</summary>
    public static async Task RunUntilSentAsync(Backend backend, string id, TimeSpan? timeout = null)
    {
        var limit = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            // While a killed worker restarts, the host answers 503: keep trying, as the schedule would.
            try
            {
                await backend.RunFunctionAsync("DispatchNewsletter");
                var deadline = DateTimeOffset.UtcNow.AddSeconds(2);
                while (DateTimeOffset.UtcNow < deadline)
                {
                    if ((await EditionAsync(backend, id))["status"]!.GetValue<string>() == "sent")
                    {
                        return;
                    }

                    await Task.Delay(200);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException)
            {
                await Task.Delay(500);
            }

            if (DateTimeOffset.UtcNow > limit)
            {
                throw new TimeoutException($"Edition {id} not sent within the time limit.");
            }
        }
    }

    public static async Task<IReadOnlyList<BatchEntity>> BatchesAsync(Backend backend)
    {
        var table = backend.Table("NewsletterBatches");
        var list = new List<BatchEntity>();
        try
        {
            await foreach (var b in table.QueryAsync<BatchEntity>())
            {
                list.Add(b);
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Not created yet.
        }

        return list;
    }

    /// <summary>How many newsletter copies each address received, over one or more sinks.</summary>
    public static Dictionary<string, int> Copies(params MailSinkServer[] sinks) =>
        sinks.SelectMany(s => s.Messages.Snapshot())
            .Where(m => m.IsValid && m.Categories.Contains("newsletter"))
            .SelectMany(m => m.Personalizations.SelectMany(p => p.To))
            .GroupBy(a => a, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The one-click request of RFC 8058, as a mail client sends it: POST to the header's URL, no cookie, no token of ours.</summary>
    public static async Task<HttpResponseMessage> OneClickAsync(Backend backend, string listUnsubscribeHeader)
    {
        var url = new Uri(listUnsubscribeHeader.Split(',')[0].Trim().Trim('<', '>'));
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = backend.Host.BaseAddress };
        using var body = new StringContent("List-Unsubscribe=One-Click", Encoding.UTF8, "application/x-www-form-urlencoded");
        return await client.PostAsync(url.PathAndQuery.TrimStart('/'), body);
    }

    public static string UnsubscribeHeaderFor(Backend backend, string email) =>
        backend.Mail.Messages.Snapshot()
            .SelectMany(m => m.Personalizations)
            .First(p => p.To.Contains(email, StringComparer.OrdinalIgnoreCase))
            .Headers["List-Unsubscribe"];
}
