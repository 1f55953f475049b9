using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>
/// The data a newsletter or agenda test starts from, put in as the app's users would: actors through the staff API,
/// events proposed through the public form and approved by staff, subscribers as confirmed rows (the double opt-in
/// has tests of its own).
/// </summary>
internal static class NewsletterSeeds
{
    public static string Tag() => Guid.NewGuid().ToString("N")[..8];

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A directory actor; returns its id.</summary>
    public static async Task<string> ActorAsync(
        Backend backend,
        string name,
        string email,
        string kind = "association",
        string commune = "35238",
        string[]? sectors = null,
        string[]? tags = null,
        bool newsletter = true,
        string? quartier = null)
    {
        using var response = await backend.StaffClient.PostAsJsonAsync("api/staff/directory/actors", new Dictionary<string, object?>
        {
            ["name"] = name,
            ["kind"] = kind,
            ["sectors"] = sectors ?? ["culture"],
            ["communeInsee"] = commune,
            ["quartier"] = quartier,
            ["emails"] = new[] { email },
            ["tags"] = tags ?? [],
            ["newsletter"] = newsletter,
            ["website"] = "https://structure.example",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>A subscriber in the given state, with the territories (EPCI codes) and sectors they follow.</summary>
    public static async Task SubscriberAsync(Backend backend, string email, string? name = null, string[]? territories = null, string[]? sectors = null, string status = SubscriberStatus.Confirmed)
    {
        var table = backend.Table("NewsletterSubscribers");
        await table.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        await table.AddEntityAsync(new SubscriberEntity
        {
            RowKey = NewsletterBackend.EmailKeyOf(email),
            Email = email,
            Name = name,
            Status = status,
            Territories = string.Join(',', territories ?? []),
            Sectors = string.Join(',', sectors ?? []),
            CreatedAt = now,
            ConsentAt = now,
            ConsentTextVersion = "2026-01",
            ConsentSource = "newsletter",
            ConfirmedAt = status == SubscriberStatus.Confirmed ? now : null,
        });
    }

    /// <summary>An event proposed through the public form (a visitor of their own); returns its id.</summary>
    public static async Task<string> ProposedEventAsync(Backend backend, string title, DateOnly date, string contactEmail = "proposeur@exemple.fr")
    {
        using var client = backend.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.9.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        using var response = await client.PostAsJsonAsync("api/agenda/events", new
        {
            title,
            startDate = Day(date),
            startTime = "18:30",
            place = "La Maison de quartier",
            commune = "Rennes",
            description = "Une rencontre entre structures de l'ESS du quartier.",
            organiser = "Le Collectif du Blosne",
            contactName = "Alix Proposeur",
            contactEmail,
            consent = true,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public static async Task<string> ApprovedEventAsync(Backend backend, string title, DateOnly date)
    {
        var id = await ProposedEventAsync(backend, title, date);
        using var approved = await backend.StaffClient.PostAsync($"api/staff/agenda/events/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        return id;
    }

    /// <summary>Creates an edition (or, with a segment, a targeted mailing) through the staff API; returns its id.</summary>
    public static async Task<string> EditionAsync(Backend backend, string subject, DateOnly sendDate, object? segment = null)
    {
        using var created = await backend.StaffClient.PostAsJsonAsync("api/staff/newsletter/editions", new
        {
            subject,
            intro = "Bonjour, voici **les nouvelles** du réseau.",
            news = new[] { new { title = "Une nouvelle", text = "Du texte." } },
            sendDate = Day(sendDate),
            segment,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public static async Task ApproveAsync(Backend backend, string id)
    {
        using var approved = await backend.StaffClient.PostAsync($"api/staff/newsletter/editions/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    /// <summary>Today in Rennes, as the app reckons send dates and agenda weeks.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime);
}
