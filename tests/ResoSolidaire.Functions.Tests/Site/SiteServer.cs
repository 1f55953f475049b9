using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Site;

/// <summary>
/// Serves samples/site from the test process on a free port, as scripts/serve-site.mjs does: the pages'
/// API base (http://localhost:7071) is rewritten to this origin, and /api/* is passed on to the local
/// functions host. The browser thus posts to its own origin, with and without JavaScript (the host's
/// CORS origins come from local.settings.sample.json, which tests cannot extend).
/// </summary>
internal sealed class SiteServer : IAsyncDisposable
{
    private const string DefaultApiBase = "http://localhost:7071";

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Host", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _forward = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    private SiteServer(WebApplication app, Uri origin)
    {
        _app = app;
        Origin = origin;
    }

    public Uri Origin { get; }

    /// <summary>Where /api/* goes: the local functions host, known once it has started.</summary>
    public Uri? ApiTarget { get; set; }

    public static async Task<SiteServer> StartAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
            var app = builder.Build();
            var server = new SiteServer(app, new Uri($"http://127.0.0.1:{port}"));
            app.Map("/api/{**path}", server.ForwardAsync);
            app.MapGet("/{**path}", server.ServeAsync);
            try
            {
                await app.StartAsync();
                return server;
            }
            catch (IOException) when (attempt < 5)
            {
                await app.DisposeAsync();
            }
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value is null or "/" ? "/index.html" : context.Request.Path.Value;
        var root = RepoPaths.Combine("samples", "site");
        var file = Path.GetFullPath(Path.Combine(root, path.TrimStart('/')));
        if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var extension = Path.GetExtension(file);
        context.Response.ContentType = extension switch
        {
            ".html" => "text/html; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => "application/octet-stream",
        };
        var content = await File.ReadAllTextAsync(file);
        if (extension == ".html")
        {
            content = content.Replace(DefaultApiBase, Origin.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
        }

        await context.Response.WriteAsync(content, Encoding.UTF8);
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var target = new Uri(ApiTarget ?? throw new InvalidOperationException("The API target is not set."), context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _forward.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _forward.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
