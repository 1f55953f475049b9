using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Newsletter;
using ResoSolidaire.Functions.Platform.Audit;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Functions.Tests.Porteurs;
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

    private sealed record Person(string Email, string Phone, string PhoneE164, string PhoneDigits);

    private static Person NewPerson()
    {
        var digits = string.Concat(Enumerable.Range(0, 8).Select(_ => Random.Shared.Next(0, 10).ToString(CultureInfo.InvariantCulture)));
        var national = "06" + digits;
        var spaced = string.Join(' ', national.Chunk(2).Select(c => new string(c)));
        return new Person($"Camille.Rgpd-{Guid.NewGuid():N}@Exemple.fr", spaced, "+336" + digits, national);
    }

    private HttpClient Visitor()
    {
        var client = _backend.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Leaves the person's data everywhere the app keeps some, through the real endpoints.</summary>
    private async Task LeaveTracesAsync(Person person)
    {
        using var visitor = Visitor();
        var contact = JsonSerializer.Serialize(new
        {
            name = "Camille Martin",
            email = person.Email,
            phone = person.Phone,
            organisation = "Collectif du Blosne",
            topic = "information",
            message = $"Bonjour, rappelez-moi au {person.Phone} ou écrivez à {person.Email}.",
            newsletter = true,
            consent = true,
            website = "",
        });
        using var contactResponse = await visitor.PostAsync("api/contact", FormsBackend.Json(contact));
        Assert.True(contactResponse.IsSuccessStatusCode, $"contact answered {(int)contactResponse.StatusCode}");
        var contactReference = (await contactResponse.JsonAsync())["reference"]!.GetValue<string>();
        using var handled = await _backend.StaffClient.PutAsJsonAsync($"api/staff/inbox/messages/{contactReference}/handled", new { note = $"Répondu à {person.Email}" });
        Assert.Equal(HttpStatusCode.OK, handled.StatusCode);

        using var porteur = new MultipartFormDataContent();
        foreach (var (name, value) in PorteurServiceTests.Fields().Where(f => f.Key is not ("email" or "phone")))
        {
            porteur.Add(new StringContent(value, Encoding.UTF8), name);
        }

        porteur.Add(new StringContent(person.Email, Encoding.UTF8), "email");
        porteur.Add(new StringContent(person.Phone, Encoding.UTF8), "phone");
        var pdf = new ByteArrayContent([.. SampleFiles.Pdf(), .. Encoding.ASCII.GetBytes($"% {person.Email} {person.Phone}\n")]);
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        porteur.Add(pdf, "attachments", "budget.pdf");
        using var porteurResponse = await visitor.PostAsync("api/porteurs", porteur);
        Assert.Equal(HttpStatusCode.Created, porteurResponse.StatusCode);
        var porteurReference = (await porteurResponse.JsonAsync())["reference"]!.GetValue<string>();
        using var note = await _backend.StaffClient.PostAsJsonAsync($"api/staff/porteurs/cases/{porteurReference}/notes", new { text = $"Appelé au {person.Phone}.", date = "2026-03-02" });
        Assert.Equal(HttpStatusCode.OK, note.StatusCode);

        using var subscription = await visitor.PostAsJsonAsync("api/newsletter/subscriptions", new { email = person.Email, consent = true, website = "" });
        Assert.True(subscription.IsSuccessStatusCode, $"subscription answered {(int)subscription.StatusCode}");

        using var agenda = await visitor.PostAsJsonAsync("api/agenda/events", new
        {
            title = "Atelier réparation",
            startDate = "2030-05-10",
            startTime = "18:30",
            place = "Le Tambour",
            commune = "Rennes",
            description = "Une soirée de rencontre entre structures de l'ESS.",
            organiser = "Les Vélos Solidaires",
            contactName = "Camille Martin",
            contactEmail = person.Email,
            consent = true,
        });
        Assert.Equal(HttpStatusCode.Accepted, agenda.StatusCode);

        var actor = ActorBodies.Valid(StaffBackend.UniqueTag(), "Camille Martin (bénévole)")
            .With("kind", "individu").With("siret", null).With("emails", new[] { person.Email }).With("phones", new[] { person.Phone })
            .With("consent", new { date = "2026-03-14", source = "bulletin papier, AG 2026", textVersion = "2026-01" });
        using var actorResponse = await _backend.StaffClient.PostAsJsonAsync("api/staff/directory/actors", actor);
        Assert.Equal(HttpStatusCode.Created, actorResponse.StatusCode);
    }

    [Fact]
    public async Task AccessGathersEverythingHeldAboutTheAddressWithItsConsentProofs()
    {
        var person = NewPerson();
        await LeaveTracesAsync(person);

        using var response = await _backend.StaffClient.PostAsJsonAsync("api/staff/privacy/access", new { email = person.Email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        var sections = report["sections"]!.AsObject();
        foreach (var section in new[] { "contact", "inbox", "porteurs", "annuaire", "newsletter", "agenda", "courriels" })
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
    }

    [Fact]
    public async Task AfterErasureNoTableNorContainerHoldsTheAddressOrThePhoneAndOnlyItsHashIsSuppressed()
    {
        var person = NewPerson();
        var other = NewPerson();
        await LeaveTracesAsync(person);
        await LeaveTracesAsync(other);
        Assert.NotEmpty(await FindTracesAsync(person));

        using var response = await _backend.StaffClient.PostAsJsonAsync("api/staff/privacy/erasure", new { email = person.Email });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.JsonAsync())["total"]!.GetValue<int>() >= 7);
        var left = await FindTracesAsync(person);
        Assert.True(left.Count == 0, "Still held after erasure:\n" + string.Join("\n", left));
        Assert.NotEmpty(await FindTracesAsync(other));

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

    /// <summary>Every table and container whose name carries the backend's prefix, every row and blob, searched for the person.</summary>
    private async Task<List<string>> FindTracesAsync(Person person)
    {
        string[] needles = [person.Email, EmailAddress.Parse(person.Email).Value, person.Phone, person.PhoneE164, person.PhoneDigits, JsonSerializer.Serialize(person.Email).Trim('"')];
        bool Holds(string text) => needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
        var found = new List<string>();
        var prefix = _backend.NamePrefix;
        await foreach (var table in _backend.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in _backend.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var text = string.Join("\u0001", row.Select(p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
                if (Holds(text))
                {
                    found.Add($"table {table.Name[prefix.Length..]}: {row.PartitionKey} / {row.RowKey}");
                }
            }
        }

        await foreach (var container in _backend.Blobs.GetBlobContainersAsync(Azure.Storage.Blobs.Models.BlobContainerTraits.None, Azure.Storage.Blobs.Models.BlobContainerStates.None, prefix, default))
        {
            var client = _backend.Blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.Metadata, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                if (Holds(blob.Name) || Holds(content) || blob.Metadata.Values.Any(Holds))
                {
                    found.Add($"blob {container.Name}/{blob.Name}");
                }
            }
        }

        return found;
    }
}
