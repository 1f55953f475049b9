using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Samples;

/// <summary>
/// The sample data <c>./scripts/run.sh</c> seeds: <c>scripts/seed.sh</c> run as is against a backend of its own, so a
/// form that changes its fields cannot leave the newcomer's console empty without a test failing.
/// </summary>
public sealed class SampleDataTests : IAsyncLifetime
{
    private Backend _backend = null!;

    public async Task InitializeAsync() => _backend = await Backend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task TheSeedFillsEveryConsoleListOnceAndASecondRunAddsNothing()
    {
        var first = await SeedAsync();
        Assert.Contains("Sample activity posted through the public forms: 7 of 7", first, StringComparison.Ordinal);

        var counts = await CountsAsync();
        Assert.True(counts.Actors >= 20, $"{counts.Actors} actors");
        Assert.Equal((Messages: 3, Porteurs: 2, Events: 1, Rooms: 1), (counts.Messages, counts.Porteurs, counts.Events, counts.Rooms));

        var second = await SeedAsync();
        Assert.Contains("The inbox already holds messages: no sample activity posted.", second, StringComparison.Ordinal);
        Assert.Equal(counts, await CountsAsync());
    }

    /// <summary>What staff see in their lists, through the staff API.</summary>
    private async Task<(int Actors, int Messages, int Porteurs, int Events, int Rooms)> CountsAsync() =>
        (await CountAsync("api/staff/directory/actors?pageSize=100", "items"), await CountAsync("api/staff/inbox/messages?pageSize=100", "items"),
            await CountAsync("api/staff/porteurs/cases?pageSize=100", "items"), await CountAsync("api/staff/agenda/events?status=pending", null),
            await CountAsync("api/staff/rooms?status=pending", null));

    private async Task<int> CountAsync(string path, string? items)
    {
        var list = await _backend.StaffClient.GetFromJsonAsync<JsonNode>(path);
        return (items is null ? list : list![items])!.AsArray().Count;
    }

    private async Task<string> SeedAsync()
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Combine("scripts", "seed.sh")])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["API"] = _backend.Host.BaseAddress.ToString().TrimEnd('/'),
                ["SETTINGS"] = "local.settings.sample.json",
            },
        };
        using var seed = Process.Start(start)!;
        var output = seed.StandardOutput.ReadToEndAsync();
        var errors = seed.StandardError.ReadToEndAsync();
        await seed.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var text = await output + await errors;
        Assert.True(seed.ExitCode == 0, text);
        return text;
    }
}
