using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Kernel;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Functions.Tests.Porteurs;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Privacy;

/// <summary>
/// A person's traces left through every real form and staff tool (contact and its handling, a porteur's intake with an
/// attachment and a note, a subscription, an agenda proposal, a directory entry, a room they offered as its contact
/// and a booking they asked for), and the scan of every table and container of a backend (found by its name prefix,
/// not from a list of ours) for them.
/// </summary>
public static class PersonTraces
{
    public sealed record Person(string Email, string Phone, string PhoneE164, string PhoneDigits);

    public static Person NewPerson()
    {
        var digits = string.Concat(Enumerable.Range(0, 8).Select(_ => Random.Shared.Next(0, 10).ToString(CultureInfo.InvariantCulture)));
        var national = "06" + digits;
        var spaced = string.Join(' ', national.Chunk(2).Select(c => new string(c)));
        return new Person($"Camille.Rgpd-{Guid.NewGuid():N}@Exemple.fr", spaced, "+336" + digits, national);
    }

    private static HttpClient Visitor(Backend backend)
    {
        var client = backend.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Leaves the person's data everywhere the app keeps some, through the real endpoints.</summary>
    public static async Task LeaveAsync(Backend backend, Person person)
    {
        using var visitor = Visitor(backend);
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
        using var handled = await backend.StaffClient.PutAsJsonAsync($"api/staff/inbox/messages/{contactReference}/handled", new { note = $"Répondu à {person.Email}" });
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
        using var note = await backend.StaffClient.PostAsJsonAsync($"api/staff/porteurs/cases/{porteurReference}/notes", new { text = $"Appelé au {person.Phone}.", date = "2026-03-02" });
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
        using var actorResponse = await backend.StaffClient.PostAsJsonAsync("api/staff/directory/actors", actor);
        Assert.Equal(HttpStatusCode.Created, actorResponse.StatusCode);

        // Room sharing: the person is the contact of a room a structure lends (offered through the public form,
        // approved by staff), and asks for a booking of it through the room's form.
        var offer = Rooms.RoomsBackend.Offer(person.Email, "Salle " + Guid.NewGuid().ToString("N")[..6]);
        offer["contactPhone"] = person.Phone;
        using var offered = await visitor.PostAsJsonAsync("api/rooms/offers", offer);
        Assert.Equal(HttpStatusCode.Accepted, offered.StatusCode);
        var roomId = (await offered.JsonAsync())["id"]!.GetValue<string>();
        var lender = await Rooms.RoomsBackend.CreateActorAsync(backend, "Maison des associations " + Guid.NewGuid().ToString("N")[..6]);
        using var approved = await backend.StaffClient.PostAsJsonAsync($"api/staff/rooms/{roomId}/approve", new { actorId = lender });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var booking = Rooms.RoomsBackend.Request(person.Email, Rooms.RoomsBackend.NextOctoberChange().AddDays(-5), "14:00", "16:00", "Collectif du Blosne", purpose: $"Réunion, joindre le {person.Phone}");
        booking["phone"] = person.Phone;
        using var asked = await visitor.PostAsJsonAsync($"api/rooms/{roomId}/requests", booking);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
    }

    /// <summary>Every table and container whose name carries the backend's prefix, every row and blob, searched for the person.</summary>
    public static async Task<List<string>> FindAsync(Backend backend, Person person)
    {
        string[] needles = [person.Email, EmailAddress.Parse(person.Email).Value, person.Phone, person.PhoneE164, person.PhoneDigits, JsonSerializer.Serialize(person.Email).Trim('"')];
        bool Holds(string text) => needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
        var found = new List<string>();
        var prefix = backend.NamePrefix;
        await foreach (var table in backend.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in backend.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var text = string.Join("\u0001", row.Select(p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
                if (Holds(text))
                {
                    found.Add($"table {table.Name[prefix.Length..]}: {row.PartitionKey} / {row.RowKey}");
                }
            }
        }

        await foreach (var container in backend.Blobs.GetBlobContainersAsync(Azure.Storage.Blobs.Models.BlobContainerTraits.None, Azure.Storage.Blobs.Models.BlobContainerStates.None, prefix, default))
        {
            var client = backend.Blobs.GetBlobContainerClient(container.Name);
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
