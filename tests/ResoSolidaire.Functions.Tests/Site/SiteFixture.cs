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
            },
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Backend = await backend;
        _site.ApiTarget = Backend.Host.BaseAddress;
    }

    public async Task<IPage> NewPageAsync(bool javaScript)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, Locale = "fr-FR" });
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
