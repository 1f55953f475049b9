using System.Collections;
using Microsoft.Playwright;

namespace ResoSolidaire.Functions.Tests.Site;

/// <summary>
/// Debian's chromium as staff and visitors have it: in French. The page language comes from <c>--lang</c>; the
/// browser's own words, such as the « jj/mm/aaaa » of a date field, from <c>LANGUAGE</c> and the French resources
/// of the <c>chromium-l10n</c> package, which <c>./scripts/test.sh</c> installs.
/// </summary>
public static class FrenchChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        environment["LANGUAGE"] = "fr";
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Env = environment,
            Args = ["--headless", "--lang=fr-FR", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
