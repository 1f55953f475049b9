using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Newsletter.Subscriptions;
using ResoSolidaire.Functions.Platform.Storage;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Newsletter;

/// <summary>The suppression list against Azurite: what the dispatcher reads before each batch.</summary>
public sealed class SuppressionListTests
{
    private static async Task<(SuppressionList List, FakeTimeProvider Time)> StartAsync()
    {
        var azurite = await AzuriteServer.SharedAsync();
        var names = new StorageNames(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString, NamePrefix = AzuriteServer.UniquePrefix() }));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 5, 8, 0, 0, TimeSpan.Zero));
        return (new SuppressionList(new NewsletterStorage(new StorageProvisioning(azurite.Tables(), azurite.Blobs(), names, [new(StorageKind.Table, NewsletterStorage.Suppressions)])), time), time);
    }

    [Fact]
    public async Task OnlyTheSuppressionsSinceAMomentAreReadAndALiftedOneIsNot()
    {
        var (list, time) = await StartAsync();
        var (old, recent, lifted) = (NewsletterBackend.EmailKeyOf("ancien@exemple.fr"), NewsletterBackend.EmailKeyOf("recent@exemple.fr"), NewsletterBackend.EmailKeyOf("revenu@exemple.fr"));
        await list.SuppressAsync(old, "bounce", "webhook", default);
        time.Advance(TimeSpan.FromHours(1));
        var since = time.GetUtcNow();
        await list.SuppressAsync(recent, "unsubscribe", "one-click", default);
        await list.SuppressAsync(lifted, "unsubscribe", "lien", default);
        await list.LiftAsync(lifted, default);

        var keys = await list.LoadKeysAsync(since, default);
        var all = await list.LoadAsync(default);

        Assert.True(keys.Contains(recent));
        Assert.False(keys.Contains(old));
        Assert.False(keys.Contains(lifted));
        Assert.Equal(1, keys.Count);
        Assert.Equal(new[] { old, recent }.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }
}
