using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>
/// What every browser test of the console does: sign in on the host's development sign-in page, post a form as a
/// third site would, and check a page (a screenshot for a person to look at, French, axe-core's scan).
/// Screenshots go to screenshots/ beside the test binaries.
/// </summary>
public static class ConsoleBrowser
{
    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>On the sign-in page (where the console sent the browser): picks the person and signs in, back to the page asked for.</summary>
    public static async Task SignInAsync(IPage page, string person)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByLabel(person).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).First.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/.auth/", StringComparison.Ordinal));
    }

    public static IFormData FormOf(IPage page, params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }

    /// <summary>A screenshot for a person to look at, <c>lang="fr"</c>, and axe-core's scan: no serious or critical violation.</summary>
    public static async Task CheckPageAsync(IPage page, string screenshot)
    {
        ArgumentNullException.ThrowIfNull(page);
        System.IO.Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, screenshot + ".png"), FullPage = true });
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        // A scan that never answers fails this test instead of holding up the whole suite.
        var scan = await page.RunAxe().WaitAsync(TimeSpan.FromMinutes(2));
        var serious = scan.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({v.Nodes.Length})").ToList();
        Assert.True(serious.Count == 0, $"{screenshot}: {string.Join("; ", serious)}");
    }

    /// <summary><see cref="CheckPageAsync"/> at a tablet's width held upright (820 × 1180), then back to a laptop's.</summary>
    public static async Task CheckOnTabletAsync(IPage page, string screenshot)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.SetViewportSizeAsync(820, 1180);
        await CheckPageAsync(page, screenshot);
        await page.SetViewportSizeAsync(1280, 800);
    }
}
