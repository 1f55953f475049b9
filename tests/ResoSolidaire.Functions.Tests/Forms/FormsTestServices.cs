using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ResoSolidaire.MailSink;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Forms;

/// <summary>
/// The app's services as the worker builds them, against the shared Azurite (a name prefix of their
/// own) and a mail sink of their own: for integration tests of the form services without the host.
/// </summary>
internal sealed class FormsTestServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private FormsTestServices(ServiceProvider provider, AzuriteServer azurite, MailSinkServer mail, string prefix)
    {
        _provider = provider;
        Azurite = azurite;
        Mail = mail;
        Prefix = prefix;
    }

    public AzuriteServer Azurite { get; }

    public MailSinkServer Mail { get; }

    public string Prefix { get; }

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public TableClient Table(string name) => Azurite.Tables().GetTableClient(Prefix + name);

    public BlobContainerClient Container(string name) => Azurite.Blobs().GetBlobContainerClient($"{Prefix}-{name}");

    public static async Task<FormsTestServices> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var azurite = await AzuriteServer.SharedAsync();
        var mail = await MailSinkServer.StartAsync(new MailSinkOptions { Port = 0 });
        var prefix = AzuriteServer.UniquePrefix();
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:NamePrefix"] = prefix,
            ["SendGrid:ApiKey"] = "local-sink-key",
            ["SendGrid:Host"] = mail.BaseAddress.ToString().TrimEnd('/'),
            ["Mail:FromAddress"] = "ne-pas-repondre@reso-solidaire.example",
            ["Mail:FromName"] = "Réso Solidaire",
            ["Mail:StaffRecipients"] = "equipe@reso-solidaire.example",
            ["Forms:ThankYouUrl"] = "https://www.reso-solidaire.example/merci.html",
            ["Forms:AllowedRedirectOrigins"] = "https://www.reso-solidaire.example,http://localhost:8080",
            ["Forms:ClientHashKey"] = "integration-tests-client-hash-key-0123456789",
            ["Privacy:EmailHashKey"] = "integration-tests-email-hash-key-0123456789",
            ["Forms:RateLimitPermits"] = "50",
            ["Forms:TopicRecipients:presse"] = "presse@reso-solidaire.example",
            ["Forms:PorteursRecipients"] = "accompagnement@reso-solidaire.example",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddResoSolidaireServices(configuration);
        if (time is not null)
        {
            services.Replace(ServiceDescriptor.Singleton(time));
        }

        return new FormsTestServices(services.BuildServiceProvider(), azurite, mail, prefix);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Mail.DisposeAsync();
    }

    /// <summary>A request as the worker hands it to a function: method, content type, body, client address.</summary>
    public HttpRequest Request(string contentType, byte[] body, string client = "203.0.113.7", string? accept = null, string? referer = null)
    {
        var context = new DefaultHttpContext { RequestServices = _provider };
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers["X-Forwarded-For"] = client;
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        if (referer is not null)
        {
            context.Request.Headers.Referer = referer;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public HttpRequest Json(string json, string client = "203.0.113.7") =>
        Request("application/json", Encoding.UTF8.GetBytes(json), client);

    public HttpRequest UrlEncoded(IEnumerable<KeyValuePair<string, string>> fields, string client = "203.0.113.7")
    {
        using var content = new FormUrlEncodedContent(fields);
        return Request("application/x-www-form-urlencoded", content.ReadAsByteArrayAsync().GetAwaiter().GetResult(), client);
    }

    public HttpRequest Multipart(IEnumerable<KeyValuePair<string, string>> fields, IEnumerable<(string Name, byte[] Content)> files, string client = "203.0.113.7", string? accept = null)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }

        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, "attachments", name);
        }

        var body = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        return Request(content.Headers.ContentType!.ToString(), body, client, accept);
    }
}
