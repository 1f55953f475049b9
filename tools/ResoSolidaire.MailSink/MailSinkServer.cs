using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ResoSolidaire.MailSink.Api;
using ResoSolidaire.MailSink.Pages;
using ResoSolidaire.MailSink.Validation;

namespace ResoSolidaire.MailSink;

/// <summary>
/// A local stand-in for SendGrid's mail send API on 127.0.0.1: validates like SendGrid, keeps what it accepts,
/// and can be told to fail. Point the SendGrid client's <c>Host</c> at <see cref="BaseAddress"/>.
/// </summary>
public sealed class MailSinkServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MailSinkServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Messages = app.Services.GetRequiredService<MailStore>();
        Faults = app.Services.GetRequiredService<FaultPlan>();
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; }

    public MailStore Messages { get; }

    public FaultPlan Faults { get; }

    /// <summary>Starts listening; throws <see cref="MailSinkPortInUseException"/> when the port is taken.</summary>
    public static Task<MailSinkServer> StartAsync(MailSinkOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, configureLogging: null, cancellationToken);

    internal static async Task<MailSinkServer> StartAsync(MailSinkOptions options, Action<ILoggingBuilder>? configureLogging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(MailSinkServer).Assembly.GetName().Name,
            Args = [],
        });
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton(new MailStore(options.Capacity, options.TimeProvider));
        builder.Services.AddSingleton<FaultPlan>();
        builder.Services.AddSingleton(sp => new MailSendValidator(SendGridSchema.Instance, options.TimeProvider));
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(CollapseLeadingSlashes);
        app.UseRouting();
        app.MapMailSend();
        app.MapTestApi();
        app.MapMailPages();

        // Compile the schema before the first request, so the first send is as fast as the others.
        _ = app.Services.GetRequiredService<MailSendValidator>();

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsAddressInUse(exception))
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new MailSinkPortInUseException(options.Port, exception);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new MailSinkServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The SendGrid client joins <c>Host + "/v3/mail/send"</c>, so a host given with a trailing slash
    /// (as <see cref="BaseAddress"/> has) arrives as <c>//v3/mail/send</c>.
    /// </summary>
    private static Task CollapseLeadingSlashes(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value;
        if (path is { Length: > 1 } && path[1] == '/')
        {
            context.Request.Path = new PathString("/" + path.TrimStart('/'));
        }

        return next(context);
    }

    private static bool IsAddressInUse(Exception exception) =>
        exception is AddressInUseException || exception.InnerException is AddressInUseException;
}

/// <summary>The sink's port is already taken by another process.</summary>
public sealed class MailSinkPortInUseException : IOException
{
    public MailSinkPortInUseException(int port, Exception innerException)
        : base($"Port {port} on 127.0.0.1 is already in use.", innerException) => Port = port;

    public int Port { get; }
}
