using System.Globalization;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Tests.Site;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>
/// The backend and one headless Chromium (Debian's) for the newsletter and agenda pages. Its own backend, because a
/// delivery test needs a batch that fails at once (one attempt) and batches small enough to be several.
/// </summary>
public sealed class NewsletterConsoleFixture : IAsyncLifetime
{
    private IPlaywright _playwright = null!;

    public Backend Backend { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var backend = Backend.StartAsync(new BackendOptions
        {
            Settings =
            {
                ["Tokens__SigningKey"] = Newsletter.NewsletterBackend.SigningKey,
                ["Newsletter__BatchSize"] = "3",
                ["Newsletter__MaxBatchAttempts"] = "1",
                ["Newsletter__DispatchLeaseSeconds"] = "15",
                ["Forms__TrustedProxyHops"] = "2",
                ["Forms__RateLimitPermits"] = 1000.ToString(CultureInfo.InvariantCulture),
            },
        });
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(30_000);
        Browser = await FrenchChromium.LaunchAsync(_playwright);
        Backend = await backend;
    }

    public string Url(string path) => new Uri(Backend.Host.BaseAddress, path).AbsoluteUri;

    /// <summary>A page of a fresh browser context, signed in as <paramref name="person"/> at <paramref name="path"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string path, bool javaScript = true, string person = "Camille Martin")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = javaScript, Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 800 } });

        // Generous: the whole test suite shares two cores, and a post goes through the host to the worker.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url(path));
        await ConsoleBrowser.SignInAsync(page, person);
        return page;
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
    }
}
