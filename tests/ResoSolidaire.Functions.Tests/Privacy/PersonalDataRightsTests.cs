using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Platform.Audit;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Privacy;

/// <summary>
/// Access and erasure through the host, on data left by every real form and staff tool: after erasure a
/// scan of every table and every container of the backend (found by its name prefix, not from a list of ours)
/// finds nothing of the address or the phone number.
/// </summary>
public sealed class PersonalDataRightsTests(StaffBackend fixture) : IClassFixture<StaffBackend>
{
    private readonly Backend _backend = fixture.Backend;

    [Fact]
    public async Task AccessGathersEverythingHeldAboutTheAddressWithItsConsentProofs()
    {
        var person = PersonTraces.NewPerson();
        await PersonTraces.LeaveAsync(_backend, person);

        using var response = await _backend.StaffClient.PostAsJsonAsync("api/staff/privacy/access", new { email = person.Email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        var sections = report["sections"]!.AsObject();
        foreach (var section in new[] { "contact", "inbox", "porteurs", "annuaire", "newsletter", "agenda", "salles", "courriels" })
        {
            Assert.True(sections[section]!.AsArray().Count > 0, $"Nothing found in {section}");
        }

        var message = sections["contact"]!.AsArray()[0]!;
        Assert.Equal("2026-01", message["consentTextVersion"]!.GetValue<string>());
        Assert.Equal("contact", message["consentForm"]!.GetValue<string>());
        Assert.Equal(person.PhoneE164, message["phone"]!.GetValue<string>());
        var subscription = sections["newsletter"]!.AsArray().First(r => r!["recordKind"]!.GetValue<string>() == "abonnement")!;
        Assert.False(string.IsNullOrEmpty(subscription["consentSource"]!.GetValue<string>()));
        Assert.Contains(sections["porteurs"]!.AsArray(), r => r!["recordKind"]!.GetValue<string>() == "historique");
        Assert.Equal(["demande-de-reservation", "salle-contact"], sections["salles"]!.AsArray().Select(r => r!["recordKind"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AfterErasureNoTableNorContainerHoldsTheAddressOrThePhoneAndOnlyItsHashIsSuppressed()
    {
        var person = PersonTraces.NewPerson();
        var other = PersonTraces.NewPerson();
        await PersonTraces.LeaveAsync(_backend, person);
        await PersonTraces.LeaveAsync(_backend, other);
        Assert.NotEmpty(await PersonTraces.FindAsync(_backend, person));

        using var response = await _backend.StaffClient.PostAsJsonAsync("api/staff/privacy/erasure", new { email = person.Email });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.JsonAsync())["total"]!.GetValue<int>() >= 7);
        var left = await PersonTraces.FindAsync(_backend, person);
        Assert.True(left.Count == 0, "Still held after erasure:\n" + string.Join("\n", left));
        Assert.NotEmpty(await PersonTraces.FindAsync(_backend, other));

        var suppression = await _backend.Table(NewsletterStorage.Suppressions).GetEntityIfExistsAsync<TableEntity>("suppression", Newsletter.NewsletterBackend.EmailKeyOf(person.Email));
        Assert.True(suppression.HasValue);
        var audit = _backend.Table(AuditLog.TableName).QueryAsync<TableEntity>(e => e.GetString("Action") == AuditActions.Erasure);
        var entries = new List<TableEntity>();
        await foreach (var entry in audit)
        {
            entries.Add(entry);
        }

        Assert.Contains(entries, e => e.GetString("SubjectHash") == Newsletter.NewsletterBackend.EmailKeyOf(person.Email) && e.GetString("Principal") == Backend.AdministrationName);
    }

    [Fact]
    public async Task ARequestWithoutAnAddressIsAValidationProblem()
    {
        using var response = await _backend.StaffClient.PostAsJsonAsync("api/staff/privacy/erasure", new { email = "personne" });
        using var extra = await _backend.StaffClient.PostAsJsonAsync("api/staff/privacy/access", new { email = "a@b.fr", nom = "x" });

        Assert.NotEmpty((await response.ProblemAsync()).FieldErrors("email"));
        Assert.NotEmpty((await extra.ProblemAsync()).FieldErrors("nom"));
    }

    [Fact]
    public async Task TheRetentionTimerRunsThroughTheHostAndLeavesItsCountsInTheAuditLog()
    {
        await _backend.RunFunctionAsync("PurgeExpiredPersonalData");

        var table = _backend.Table(AuditLog.TableName);
        var entry = await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    await foreach (var e in table.QueryAsync<TableEntity>(e => e.GetString("Action") == AuditActions.Purge))
                    {
                        return e;
                    }
                }
                catch (Azure.RequestFailedException ex) when (ex.Status == 404)
                {
                    // The audit table is created by the first entry.
                }

                return null;
            },
            e => e is not null,
            TimeSpan.FromSeconds(30),
            "the purge's audit entry");
        Assert.Equal("minuteur", entry!.GetString("Principal"));
        Assert.Contains("contact.messages", entry.GetString("Filters"), StringComparison.Ordinal);
    }
}
