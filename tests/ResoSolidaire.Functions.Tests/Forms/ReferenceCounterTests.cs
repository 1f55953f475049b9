using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Forms;

/// <summary>The reference counter against Azurite, as several instances of the app would use it.</summary>
public sealed class ReferenceCounterTests
{
    private static async Task<ReferenceCounter[]> InstancesAsync(int count, TimeProvider time)
    {
        var azurite = await AzuriteServer.SharedAsync();
        var names = new StorageNames(Options.Create(new StorageOptions { NamePrefix = AzuriteServer.UniquePrefix() }));
        return [.. Enumerable.Range(0, count).Select(_ => new ReferenceCounter(new StorageProvisioning(azurite.Tables(), azurite.Blobs(), names, [new(StorageKind.Table, ReferenceCounter.TableName)]), time))];
    }

    [Fact]
    public async Task ThreeInstancesDrawingAtOnceNeverShareANumberAndLeaveNoGap()
    {
        var instances = await InstancesAsync(3, TimeProvider.System);

        var references = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => instances[i % 3].NextAsync("PP", default)));

        var year = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Year;
        Assert.Equal(Enumerable.Range(1, 60).Select(n => $"PP-{year}-{n:D4}"), references.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NumbersStartAgainEachYearInParisTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 22, 30, 0, TimeSpan.Zero));
        var counter = (await InstancesAsync(1, time))[0];

        var lastOfTheYear = await counter.NextAsync("PP", default);
        time.Advance(TimeSpan.FromHours(1));
        var firstOfTheNext = await counter.NextAsync("PP", default);

        Assert.Equal("PP-2026-0001", lastOfTheYear);
        Assert.Equal("PP-2027-0001", firstOfTheNext);
    }

    [Fact]
    public async Task EachPrefixHasItsOwnSequence()
    {
        var counter = (await InstancesAsync(1, TimeProvider.System))[0];

        var porteur = await counter.NextAsync("PP", default);
        var contact = await counter.NextAsync("CT", default);

        Assert.EndsWith("-0001", porteur, StringComparison.Ordinal);
        Assert.EndsWith("-0001", contact, StringComparison.Ordinal);
    }
}
