using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.EndToEnd;

/// <summary>The real function app, in its own worker process behind the local host, with Azurite and the mail sink.</summary>
public sealed class PlatformEndToEndTests : IAsyncLifetime
{
    private Backend _backend = null!;

    public async Task InitializeAsync() => _backend = await Backend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task HealthIsOkWhenStorageAndMailAnswer()
    {
        using var response = await _backend.Client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("ok", report!["status"]!.GetValue<string>());
        Assert.Equal("ok", report["tables"]!.GetValue<string>());
        Assert.Equal("ok", report["blobs"]!.GetValue<string>());
        Assert.Equal("ok", report["mail"]!.GetValue<string>());
    }

    [Fact]
    public async Task HealthRevealsNoSecret()
    {
        var body = await _backend.Client.GetStringAsync("api/health");

        Assert.DoesNotContain("AccountKey", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("local-sink-key", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMailSentByTheAppArrivesInTheSinkAndMatchesSendGridsSchema()
    {
        using var response = await _backend.StaffClient.PostAsync("api/staff/mail/check", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = await _backend.Mail.Messages.WaitForAsync(m => m.Subject.Contains("vérification", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal("ne-pas-repondre@reso-solidaire.example", mail.From);
        Assert.Equal(["equipe@reso-solidaire.example"], mail.Personalizations.SelectMany(p => p.To));
        Assert.Contains("fonctionne", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffRoutesRefuseAMissingOrWrongKey()
    {
        using var anonymous = await _backend.Client.PostAsync("api/staff/mail/check", null);
        using var wrong = _backend.CreateClient("not-a-key");
        using var wrongKey = await wrong.PostAsync("api/staff/mail/check", null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Empty(_backend.Mail.Messages.Snapshot());
    }

    [Fact]
    public async Task AMailRefusedBySendGridWaitsInTheOutboxAndLeavesOnceWhenItRecovers()
    {
        _backend.Mail.Faults.FailNext(503, 1);

        using var response = await _backend.StaffClient.PostAsync("api/staff/mail/check", null);
        var result = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("queued", result!["outcome"]!.GetValue<string>());
        Assert.Empty(_backend.Mail.Messages.Snapshot());

        var outbox = _backend.Table("Outbox");
        var row = await outbox.QueryAsync<Azure.Data.Tables.TableEntity>().FirstAsync();
        row["NextAttemptAt"] = DateTimeOffset.UtcNow.AddMinutes(-1);
        await outbox.UpdateEntityAsync(row, row.ETag);

        await _backend.RunFunctionAsync("RetryOutbox");
        await _backend.Mail.Messages.WaitForAsync(m => m.Subject.Contains("vérification", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(
            async () => (await outbox.GetEntityAsync<Azure.Data.Tables.TableEntity>(row.PartitionKey, row.RowKey)).Value.GetString("Status") == "Sent",
            what: "the outbox row to be marked sent");

        await _backend.RunFunctionAsync("RetryOutbox");
        await _backend.RunFunctionAsync("RetryOutbox");

        Assert.Single(_backend.Mail.Messages.Snapshot());
    }
}
