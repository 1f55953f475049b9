using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Functions.Tests.Porteurs;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Privacy;

/// <summary>
/// Access and erasure among addresses that overlap as text: ann@ and joann@, the same address in another case,
/// a +tag, an accented domain typed in Unicode and asked for in punycode. Each request reaches exactly one
/// person's records; every row and blob of the backend (scanned by its name prefix) that is not theirs is
/// still there, unchanged, after the erasure.
/// </summary>
public sealed class OverlappingAddressesTests(StaffBackend fixture) : IClassFixture<StaffBackend>
{
    private const string Ann = "ann@exemple.fr";
    private const string AnnCapitalised = "Ann@Exemple.FR";
    private const string Joann = "joann@exemple.fr";
    private const string AnnTagged = "ann+lettre@exemple.fr";
    private const string AnnAccented = "ann@élan.fr";
    private const string AnnAccentedPunycode = "ann@xn--lan-9la.fr";

    private static readonly string[] AllSections = ["contact", "porteurs", "agenda", "annuaire", "courriels"];

    private readonly Backend _backend = fixture.Backend;

    [Fact]
    public async Task AccessAndErasureReachExactlyOnePersonAmongOverlappingAddresses()
    {
        var references = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        async Task Traces(string who, string typed, params string[] what)
        {
            foreach (var kind in what)
            {
                if (await LeaveAsync(kind, typed) is { } reference)
                {
                    (references.TryGetValue(who, out var list) ? list : references[who] = []).Add(reference);
                }
            }
        }

        await Traces(Ann, Ann, "contact", "agenda", "actor");
        await Traces(Ann, AnnCapitalised, "porteur", "newsletter");
        await Traces(Joann, Joann, "contact", "porteur", "newsletter", "agenda", "actor");
        await Traces(AnnTagged, AnnTagged, "contact", "newsletter", "actor");
        await Traces(AnnAccented, AnnAccented, "contact", "agenda", "actor");
        var before = await SnapshotAsync();

        // Access: Ann (asked in yet another case) and the accented domain asked for in punycode.
        var ann = await AccessAsync("ANN@exemple.fr");
        Assert.Single(ann["contact"]!.AsArray());
        Assert.Single(ann["porteurs"]!.AsArray(), r => r!["recordKind"]!.GetValue<string>() == "demande");
        Assert.Single(ann["agenda"]!.AsArray());
        Assert.Single(ann["annuaire"]!.AsArray());
        Assert.Single(ann["newsletter"]!.AsArray(), r => r!["recordKind"]!.GetValue<string>() == "abonnement");
        Assert.NotEmpty(ann["courriels"]!.AsArray());
        AssertOnlyAbout(ann, Ann);

        var accented = await AccessAsync(AnnAccentedPunycode);
        Assert.Single(accented["contact"]!.AsArray());
        Assert.Single(accented["agenda"]!.AsArray());
        Assert.Single(accented["annuaire"]!.AsArray());
        Assert.Empty(accented["porteurs"]!.AsArray());
        Assert.NotEmpty(accented["courriels"]!.AsArray());
        AssertOnlyAbout(accented, AnnAccentedPunycode);

        // Erasure of Ann: only Ann's rows and blobs go; the others' are untouched.
        await EraseAsync(Ann);
        var afterAnn = await SnapshotAsync();
        AssertErasedExactly(before, afterAnn, Ann, references[Ann]);
        var annAgain = await AccessAsync(AnnCapitalised);
        Assert.All(AllSections, s => Assert.Empty(annAgain[s]!.AsArray()));
        Assert.NotEmpty((await AccessAsync(Joann))["contact"]!.AsArray());
        Assert.NotEmpty((await AccessAsync(AnnTagged))["contact"]!.AsArray());

        // Erasure asked for in punycode of an address typed in Unicode.
        await EraseAsync(AnnAccentedPunycode);
        var afterAccented = await SnapshotAsync();
        AssertErasedExactly(afterAnn, afterAccented, AnnAccentedPunycode, references[AnnAccented]);
        var accentedAgain = await AccessAsync(AnnAccented);
        Assert.All(AllSections, s => Assert.Empty(accentedAgain[s]!.AsArray()));
        Assert.NotEmpty((await AccessAsync(Joann))["porteurs"]!.AsArray());
    }

    /// <summary>Every row or blob of <paramref name="before"/> that is not the person's is in <paramref name="after"/>, unchanged; none of theirs is.</summary>
    private static void AssertErasedExactly(Dictionary<string, string> before, Dictionary<string, string> after, string address, IReadOnlyList<string> references)
    {
        var theirs = TheirsIn(before, address, references);
        Assert.NotEmpty(theirs);
        var changedOthers = before.Keys.Where(k => !theirs.Contains(k) && (!after.TryGetValue(k, out var now) || now != before[k])).ToList();
        Assert.True(changedOthers.Count == 0, "Rows of other people changed or gone:\n" + string.Join("\n", changedOthers));
        var theirsLeft = theirs.Where(k => after.TryGetValue(k, out var now) && Mentions(now, address)).ToList();
        Assert.True(theirsLeft.Count == 0, "Still naming the person:\n" + string.Join("\n", theirsLeft));
    }

    /// <summary>
    /// The person's rows and blobs, found independently of the app: their address as a whole word (so that
    /// joann@ is not ann@), the keyed hash of it, their references, and the outbox rows of their mails.
    /// </summary>
    private static HashSet<string> TheirsIn(Dictionary<string, string> snapshot, string address, IReadOnlyList<string> references)
    {
        var hash = Newsletter.NewsletterBackend.EmailKeyOf(address);
        var theirs = snapshot.Where(e => Mentions(e.Value, address) || e.Key.Contains(hash, StringComparison.Ordinal) || e.Value.Contains(hash, StringComparison.Ordinal)
            || references.Any(r => e.Key.Contains(r, StringComparison.Ordinal) || e.Value.Contains(r, StringComparison.Ordinal))).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var mails = theirs.Where(k => k.StartsWith("table Outbox/mail/", StringComparison.Ordinal)).Select(k => k["table Outbox/mail/".Length..]).ToList();
        foreach (var (key, value) in snapshot)
        {
            if (key.StartsWith("table Outbox/mail/p-", StringComparison.Ordinal) && mails.Any(m => value.Contains("Mail=" + m + "\u0001", StringComparison.Ordinal)))
            {
                theirs.Add(key);
            }
        }

        return theirs;
    }

    private static bool Mentions(string text, string address)
    {
        var ascii = Kernel.EmailAddressOf(address);
        return Regex.IsMatch(text, @"(?<![\w.+%-])" + Regex.Escape(ascii) + @"(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
            || Regex.IsMatch(text, @"(?<![\w.+%-])" + Regex.Escape(ascii.Replace("+", "\\u002B", StringComparison.Ordinal)) + @"(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static void AssertOnlyAbout(JsonObject sections, string address)
    {
        var text = sections.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var other in new[] { Ann, Joann, AnnTagged, AnnAccentedPunycode }.Where(o => !string.Equals(Kernel.EmailAddressOf(o), Kernel.EmailAddressOf(address), StringComparison.OrdinalIgnoreCase)))
        {
            Assert.False(Mentions(text, other), $"The access report for one person names {other}");
        }

        Assert.True(Mentions(text, address));
    }

    private async Task<JsonObject> AccessAsync(string email)
    {
        using var response = await _backend.StaffClient.PostAsJsonAsync("api/staff/privacy/access", new { email });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["sections"]!.AsObject();
    }

    private async Task EraseAsync(string email)
    {
        using var response = await _backend.StaffClient.PostAsJsonAsync("api/staff/privacy/erasure", new { email });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private HttpClient Visitor()
    {
        var client = _backend.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>One trace of the address through a real endpoint; the reference it got, if any.</summary>
    private async Task<string?> LeaveAsync(string kind, string email)
    {
        using var visitor = Visitor();
        switch (kind)
        {
            case "contact":
                {
                    var body = JsonSerializer.Serialize(new { name = "Ann Martin", email, topic = "information", message = "Bonjour, je voudrais des nouvelles du réseau.", consent = true, website = "" });
                    using var response = await visitor.PostAsync("api/contact", FormsBackend.Json(body));
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    return (await response.JsonAsync())["reference"]!.GetValue<string>();
                }

            case "porteur":
                {
                    using var form = new MultipartFormDataContent();
                    foreach (var (name, value) in PorteurServiceTests.Fields().Where(f => f.Key != "email"))
                    {
                        form.Add(new StringContent(value, Encoding.UTF8), name);
                    }

                    form.Add(new StringContent(email, Encoding.UTF8), "email");
                    var pdf = new ByteArrayContent(SampleFiles.Pdf());
                    pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                    form.Add(pdf, "attachments", "budget.pdf");
                    using var response = await visitor.PostAsync("api/porteurs", form);
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    return (await response.JsonAsync())["reference"]!.GetValue<string>();
                }

            case "newsletter":
                {
                    using var response = await visitor.PostAsJsonAsync("api/newsletter/subscriptions", new { email, consent = true, website = "" });
                    Assert.True(response.IsSuccessStatusCode, $"subscription answered {(int)response.StatusCode}");
                    return null;
                }

            case "agenda":
                {
                    using var response = await visitor.PostAsJsonAsync("api/agenda/events", new
                    {
                        title = "Atelier réparation",
                        startDate = "2030-05-10",
                        place = "Le Tambour",
                        commune = "Rennes",
                        description = "Une soirée de rencontre entre structures de l'ESS.",
                        organiser = "Les Vélos Solidaires",
                        contactName = "Ann Martin",
                        contactEmail = email,
                        consent = true,
                    });
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    return null;
                }

            default:
                {
                    var actor = ActorBodies.Valid(StaffBackend.UniqueTag(), "Ann Martin (bénévole) " + StaffBackend.UniqueTag())
                        .With("kind", "individu").With("siret", null).With("emails", new[] { email })
                        .With("consent", new Dictionary<string, object?> { ["date"] = "2026-03-14", ["source"] = "bulletin papier, AG 2026", ["textVersion"] = "2026-01" });
                    using var response = await _backend.StaffClient.PostAsJsonAsync("api/staff/directory/actors", actor);
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    return null;
                }
        }
    }

    /// <summary>Every row and blob whose table or container carries the backend's prefix, as text (storage stamps left out).</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync()
    {
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefix = _backend.NamePrefix;
        await foreach (var table in _backend.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in _backend.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var text = string.Concat(row.Where(p => p.Key is not ("Timestamp" or "odata.etag")).OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => p.Key + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture) + "\u0001"));
                snapshot[$"table {table.Name[prefix.Length..]}/{row.PartitionKey}/{row.RowKey}"] = text;
            }
        }

        await foreach (var container in _backend.Blobs.GetBlobContainersAsync(Azure.Storage.Blobs.Models.BlobContainerTraits.None, Azure.Storage.Blobs.Models.BlobContainerStates.None, prefix, default))
        {
            var client = _backend.Blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.Metadata, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                snapshot[$"blob {container.Name[prefix.Length..]}/{blob.Name}"] = content + "\u0001" + string.Join("\u0001", blob.Metadata.Select(m => m.Key + "=" + m.Value));
            }
        }

        return snapshot;
    }

    private static class Kernel
    {
        /// <summary>The address as the app stores it (punycode domain), for the test's own whole-word search.</summary>
        public static string EmailAddressOf(string address) => Functions.Kernel.EmailAddress.Parse(address).Value;
    }
}
