using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Site;

namespace ResoSolidaire.Functions.Tests.Console;

/// <summary>What the directory's browser tests share: a page signed in on an address, and fiches made and read through the staff API.</summary>
internal static class DirectoryBrowser
{
    public static async Task<IPage> SignedInAsync(this SiteFixture site, string path, string person)
    {
        var page = await site.NewPageAsync(javaScript: true);
        await page.GotoAsync(new Uri(site.Backend.Host.BaseAddress, path).AbsoluteUri);
        await ConsoleBrowser.SignInAsync(page, person);
        return page;
    }

    /// <summary>Creates an actor through the staff API (as Dominique Lefèvre); returns its id.</summary>
    public static async Task<string> CreateActorAsync(this HttpClient staff, Dictionary<string, object?> body)
    {
        using var response = await staff.PostAsJsonAsync("api/staff/directory/actors", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync())["id"]!.GetValue<string>();
    }

    public static async Task<JsonObject> ActorAsync(this HttpClient staff, string id) =>
        await (await staff.GetAsync($"api/staff/directory/actors/{id}")).JsonAsync();
}
