using System.Globalization;
using Microsoft.Playwright;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Site;

/// <summary>The backend, the sample site in front of it, and one headless Chromium (Debian's) for the browser tests.</summary>
public sealed class SiteFixture : IAsyncLifetime
{
    private SiteServer _site = null!;
    private IPlaywright _playwright = null!;

    public Backend Backend { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Origin => _site.Origin;

    public async Task InitializeAsync()
    {
        _site = await SiteServer.StartAsync();
        var origin = _site.Origin.GetLeftPart(UriPartial.Authority);
        var backend = Backend.StartAsync(new BackendOptions
        {
            Settings =
            {
                ["Forms__ThankYouUrl"] = origin + "/merci.html",
                ["Forms__AllowedRedirectOrigins"] = origin,
                ["Forms__RateLimitPermits"] = 100.ToString(CultureInfo.InvariantCulture),

                // So that the tests can issue the links a newsletter carries (unsubscription), as the app does.
                ["Tokens__SigningKey"] = Newsletter.NewsletterBackend.SigningKey,
            },
        });
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(30_000);
        Browser = await FrenchChromium.LaunchAsync(_playwright);
        Backend = await backend;
        _site.ApiTarget = Backend.Host.BaseAddress;

        // The first posts of a fresh worker pay for JIT and for loading the communes: not the tests' concern.
        using var warmUp = new HttpClient { BaseAddress = Backend.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        warmUp.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.1");
        foreach (var form in new[] { "api/contact", "api/porteurs", "api/newsletter/subscriptions", "api/agenda/events" })
        {
            using var body = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            using var response = await warmUp.PostAsync(form, body);
        }
    }

    public async Task<IPage> NewPageAsync(bool javaScript)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, Locale = "fr-FR" });

        // Generous: the whole test suite shares two cores, and a post goes through the host to the worker.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Backend is not null)
        {
            await Backend.DisposeAsync();
        }

        await _site.DisposeAsync();
    }
}
