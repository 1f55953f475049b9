using Azure.Data.Tables;
using ResoSolidaire.Functions.Contact;
using ResoSolidaire.Functions.Directory;
using ResoSolidaire.Functions.Directory.Import;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Platform.Mail;
using ResoSolidaire.Functions.Platform.PersonalData;
using ResoSolidaire.Functions.Privacy;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Testing;
using Xunit.Abstractions;

namespace ResoSolidaire.Functions.Tests.Privacy;

/// <summary>
/// Rows written before the keyed hashes existed, against Azurite: the sample directory as an earlier build
/// imported it (no hash properties), a contact message and an outbox mail without theirs. The start-up
/// migration gives them their hashes from their parsed addresses, after which access finds them by key.
/// </summary>
public sealed class EmailHashMigrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RowsStoredBeforeTheHashesAreFoundByKeyOnceMigrated()
    {
        await using var services = await FormsTestServices.StartAsync();
        var sample = await File.ReadAllBytesAsync(RepoPaths.Combine("samples", "data", "acteurs-exemple.csv"));
        var imported = await services.Get<ActorImporter>().ImportAsync(sample, dryRun: false, skipRejected: true, Directory.StaffMembers.Test, default);
        Assert.True(imported.Written > 0);

        // As an earlier build left them: no hash properties at all.
        var actors = services.Table(ActorStore.TableName);
        var withAddress = 0;
        await foreach (var actor in actors.QueryAsync<TableEntity>())
        {
            foreach (var name in actor.Keys.Where(k => k.StartsWith("EmailHash", StringComparison.Ordinal)).ToList())
            {
                actor.Remove(name);
            }

            withAddress += string.IsNullOrEmpty(actor.GetString("Emails")) ? 0 : 1;
            await actors.UpdateEntityAsync(actor, actor.ETag, TableUpdateMode.Replace);
        }

        var contact = services.Table(ContactForm.TableName);
        await contact.CreateIfNotExistsAsync();
        await contact.AddEntityAsync(new TableEntity(SubmissionLedger.Partition, "CT-2020-0001")
        {
            ["Reference"] = "CT-2020-0001",
            ["Email"] = "Ann@xn--lan-9la.fr",
            ["Name"] = "Ann",
            ["CreatedAt"] = DateTimeOffset.UtcNow,
        });
        await contact.AddEntityAsync(new TableEntity(SubmissionLedger.Partition, "CT-2020-0002")
        {
            ["Reference"] = "CT-2020-0002",
            ["Email"] = "joann@xn--lan-9la.fr",
            ["Name"] = "Jo",
            ["CreatedAt"] = DateTimeOffset.UtcNow,
        });
        var outbox = services.Table("Outbox");
        await outbox.CreateIfNotExistsAsync();
        var mail = new OutboxEntity { RowKey = "0001-legacy", Kind = "contact-equipe", Status = OutboxStatus.Sent, CreatedAt = DateTimeOffset.UtcNow };
        mail.WriteBody("""{"personalizations":[{"to":[{"email":"equipe@reso-solidaire.example"}]}],"reply_to":{"email":"ann@xn--lan-9la.fr"},"subject":"Message de joann@xn--lan-9la.fr"}""");
        await outbox.AddEntityAsync(mail);

        var counts = await services.Get<EmailHashMigrationService>().RunAsync(default);
        output.WriteLine("Migrated: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));

        Assert.Equal(withAddress, counts["annuaire"]);
        Assert.Equal(2, counts["contact"]);
        Assert.Equal(1, counts["courriels"]);
        Assert.All((await services.Get<EmailHashMigrationService>().RunAsync(default)).Values, c => Assert.Equal(0, c));

        var report = await services.Get<PrivacyService>().AccessAsync(EmailAddress.Parse("ann@élan.fr"), Tester, default);
        Assert.Equal("CT-2020-0001", Assert.Single(report.Sections["contact"])["reference"]!.GetValue<string>());
        Assert.Single(report.Sections["courriels"]);
        var jardins = await services.Get<PrivacyService>().AccessAsync(EmailAddress.Parse("contact@jardins-blosne.example"), Tester, default);
        Assert.Single(jardins.Sections["annuaire"]);
        var jo = await services.Get<PrivacyService>().AccessAsync(EmailAddress.Parse("joann@élan.fr"), Tester, default);
        Assert.Single(jo.Sections["contact"]);
        Assert.Empty(jo.Sections["courriels"]);
    }

    private static readonly ResoSolidaire.Functions.Platform.Staff.StaffMember Tester = new("test", "00000000-0000-0000-0000-000000000001", new HashSet<string> { "Administration" }, false);
}
