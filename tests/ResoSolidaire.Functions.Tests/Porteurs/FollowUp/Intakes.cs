using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ResoSolidaire.Functions.Tests.Directory;
using ResoSolidaire.Functions.Tests.Forms;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Porteurs.FollowUp;

/// <summary>Submits the website's public forms as a visitor would, each from an address of its own.</summary>
public static class Intakes
{
    private static HttpClient Visitor(Backend backend)
    {
        var client = backend.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A porteur de projet's intake; returns its reference (PP-...).</summary>
    public static async Task<string> SubmitPorteurAsync(Backend backend, string title, string commune = "Cesson-Sévigné", string postalCode = "35510", byte[]? pdf = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        using var client = Visitor(backend);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in PorteurServiceTests.Fields(commune, postalCode, title).Where(f => f.Key != "email"))
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }

        content.Add(new StringContent($"porteur-{Guid.NewGuid():N}@exemple.fr", Encoding.UTF8), "email");
        if (pdf is not null)
        {
            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(file, "attachments", "budget prévisionnel.pdf");
        }

        using var response = await client.PostAsync("api/porteurs", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
    }

    /// <summary>A contact message; returns its reference (CT-...).</summary>
    public static async Task<string> SubmitContactAsync(Backend backend, string email, string topic, string? message = null, string name = "Camille Martin", string? organisation = null, string? phone = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        using var client = Visitor(backend);
        var json = JsonSerializer.Serialize(new
        {
            name,
            email,
            organisation,
            phone,
            topic,
            message = message ?? $"Bonjour, nous aimerions en savoir plus ({Guid.NewGuid():N}).",
            consent = true,
            website = "",
        });
        using var response = await client.PostAsync("api/contact", FormsBackend.Json(json));
        Assert.True(response.IsSuccessStatusCode, $"The contact form answered {(int)response.StatusCode}.");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
    }

    public static async Task<string> CreateActorAsync(Backend backend, string name)
    {
        ArgumentNullException.ThrowIfNull(backend);
        using var response = await backend.StaffClient.PostAsJsonAsync("api/staff/directory/actors", ActorBodies.Valid(StaffBackend.UniqueTag(), name));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }
}
