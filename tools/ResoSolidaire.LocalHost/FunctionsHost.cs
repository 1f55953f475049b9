using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using ResoSolidaire.LocalHost.Authentication;
using ResoSolidaire.LocalHost.Configuration;
using ResoSolidaire.LocalHost.Http;
using ResoSolidaire.LocalHost.Timers;
using ResoSolidaire.LocalHost.Worker;

namespace ResoSolidaire.LocalHost;

/// <summary>
/// A local Azure Functions host: runs the unmodified isolated worker over the Functions gRPC
/// protocol and serves its HTTP functions, timers and admin API the way <c>func start</c> does.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    private static readonly string[] _allMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    private static readonly TimeSpan _rpcStopTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The real host's Kestrel limit (ScriptConstants.DefaultMaxRequestBodySize, 100 MiB).</summary>
    private const long DefaultMaxRequestBodySize = 104_857_600;

    private readonly LocalHostOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly Lock _stopGate = new();
    private readonly WorkerStreamRegistry _registry = new();
    private IReadOnlyList<FunctionDescriptor> _catalog = [];
    private WebApplication? _rpcApp;
    private WebApplication? _httpApp;
    private WorkerSupervisor? _supervisor;
    private FunctionInvoker? _invoker;
    private TimerScheduler? _timers;
    private Task? _stopTask;

    private FunctionsHost(LocalHostOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Host");
    }

    /// <summary>The public HTTP endpoint, e.g. http://127.0.0.1:7071/.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The current worker's process id (it changes when the worker is restarted).</summary>
    public int? WorkerProcessId => _supervisor?.WorkerProcessId;

    public IReadOnlyList<HostedFunction> Functions { get; private set; } = [];

    /// <summary>Starts the host; returns once every function is loaded and HTTP is served.</summary>
    /// <exception cref="LocalHostException">Configuration, build output or port problem, with a message for the operator.</exception>
    public static async Task<FunctionsHost> StartAsync(LocalHostOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new FunctionsHost(options, loggerFactory ?? NullLoggerFactory.Instance);
        try
        {
            await host.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch (Exception ex)
        {
            await host.DisposeAsync().ConfigureAwait(false);
            if (ex is LocalHostException or OperationCanceledException)
            {
                throw;
            }

            throw new LocalHostException($"Échec du démarrage de l'hôte local : {ex.Message}", ex);
        }
    }

    /// <summary>Waits until a worker is running and loaded, e.g. after a crash and restart.</summary>
    public async Task WaitForWorkerReadyAsync(CancellationToken cancellationToken = default)
    {
        var supervisor = _supervisor ?? throw new InvalidOperationException("The host is not started.");
        try
        {
            await supervisor.WaitForReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerUnavailableException ex)
        {
            throw new LocalHostException("L'hôte s'arrête : aucun worker ne sera disponible.", ex);
        }
    }

    /// <summary>Stops accepting requests, drains those in flight (bounded), then stops the worker.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopGate)
        {
            _stopTask ??= StopCoreAsync(cancellationToken);
            return _stopTask;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_httpApp is not null)
            {
                await _httpApp.DisposeAsync().ConfigureAwait(false);
            }

            if (_rpcApp is not null)
            {
                await _rpcApp.DisposeAsync().ConfigureAwait(false);
            }

            _invoker?.Dispose();
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var orphans = WorkerProcessTracker.KillOrphans();
        if (orphans > 0)
        {
            _logger.LogWarning("{Count} worker(s) laissé(s) par un hôte précédent arrêté brutalement ont été arrêtés.", orphans);
        }

        var layout = AppLayout.Load(_options.AppDirectory);
        if (_options.SettingsFile is { } settingsFile && !File.Exists(settingsFile))
        {
            throw new LocalHostException($"Le fichier de paramètres « {Path.GetFullPath(settingsFile)} » est introuvable.");
        }

        var settings = LocalSettings.Load(_options.SettingsFile);
        var values = new Dictionary<string, string>(settings.Values, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in _options.SettingOverrides)
        {
            if (value is null)
            {
                values.Remove(name);
            }
            else
            {
                values[name] = value;
            }
        }

        var environment = new Dictionary<string, string>(values, StringComparer.Ordinal);
        foreach (var (name, value) in settings.ConnectionStrings)
        {
            environment[$"ConnectionStrings:{name}"] = value;
        }

        var port = _options.HttpPortSpecified ? _options.HttpPort : settings.LocalHttpPort ?? LocalHostOptions.DefaultHttpPort;
        if (port is < 0 or > 65535)
        {
            throw new LocalHostException($"Le port {port} n'est pas valide (0 à 65535).");
        }

        if (port != 0)
        {
            EnsurePortIsFree(port);
        }

        _rpcApp = BuildRpcApp();
        await _rpcApp.StartAsync(cancellationToken).ConfigureAwait(false);
        var grpcUri = new Uri(ListeningAddress(_rpcApp));

        _supervisor = new WorkerSupervisor(layout, environment, _registry, grpcUri, _loggerFactory);
        _catalog = await _supervisor.StartAsync(
            metadata => [.. metadata.Select(m => FunctionDescriptor.FromMetadata(m, layout.RoutePrefix, values)).OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)],
            cancellationToken).ConfigureAwait(false);
        Functions = [.. _catalog.Select(f => f.ToPublic())];

        var keys = new KeyAuthorizer(settings.Keys);
        _invoker = new FunctionInvoker(_supervisor, keys, _time, _loggerFactory);
        _timers = new TimerScheduler(_catalog, _invoker, _time, _loggerFactory);

        var admin = new AdminApi(_catalog, keys, _supervisor, _timers, AdminApi.HostIdFor(layout.AppDirectory, values), _time);
        _httpApp = BuildHttpApp(port, settings, keys, admin, MaxRequestBodySize(values));
        try
        {
            await _httpApp.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw PortInUse(port, ex);
        }

        var address = new Uri(ListeningAddress(_httpApp));
        BaseAddress = new Uri($"http://127.0.0.1:{address.Port}/");
        if (_options.EnableTimers)
        {
            _timers.Start(_catalog);
        }

        if (!keys.HasMasterKey)
        {
            _logger.LogWarning("Aucune clé maître (Keys.Master dans local.settings.json) : /admin et les fonctions de niveau Admin refuseront toute requête.");
        }

        LogFunctions(address.Port);
    }

    private WebApplication BuildRpcApp()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "ResoSolidaire.LocalHost.Rpc" });
        // The worker connects with an insecure channel: plaintext HTTP/2 only (h2c).
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        UseLogging(builder.Services);
        builder.Services.AddRouting();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(_registry);
        var app = builder.Build();
        app.MapGrpcService<WorkerRpcService>();
        return app;
    }

    /// <summary>
    /// FUNCTIONS_REQUEST_BODY_SIZE_LIMIT replaces the limit when it is a number, as the real host's
    /// HttpRequestBodySizeMiddleware does; anything else leaves the default.
    /// </summary>
    private static long MaxRequestBodySize(Dictionary<string, string> values) =>
        values.TryGetValue("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", out var text) && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var limit)
            ? limit
            : DefaultMaxRequestBodySize;

    private WebApplication BuildHttpApp(int port, LocalSettings settings, KeyAuthorizer keys, AdminApi admin, long maxRequestBodySize)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "ResoSolidaire.LocalHost" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxRequestBodySize;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        UseLogging(builder.Services);
        builder.Services.AddRouting();
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // The host's own empty answers (no route: 404) get French wording.
            if (context.ProblemDetails.Detail is null && context.ProblemDetails.Status is { } status)
            {
                context.ProblemDetails.Title = Problems.TitleFor(status);
                context.ProblemDetails.Detail = Problems.DetailFor(status);
            }
        });
        var cors = settings.CorsOrigins.Count > 0;
        if (cors)
        {
            builder.Services.AddCors(options => options.AddDefaultPolicy(policy =>
            {
                if (settings.CorsOrigins.Contains("*"))
                {
                    // "*" cannot go with credentials: echo the origin instead, as the real host does.
                    _ = settings.CorsCredentials ? policy.SetIsOriginAllowed(_ => true).AllowCredentials() : policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins([.. settings.CorsOrigins]);
                    if (settings.CorsCredentials)
                    {
                        policy.AllowCredentials();
                    }
                }

                policy.AllowAnyHeader().AllowAnyMethod();
            }));
        }

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // Kestrel's own refusals met while reading a body, e.g. 413 over the body limit.
                await Problems.WriteAsync(context, ex.StatusCode, Problems.TitleFor(ex.StatusCode), Problems.DetailFor(ex.StatusCode)).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                _logger.LogError("Erreur de l'hôte sur {Method} {Path} : {Reason}", context.Request.Method, context.Request.Path, ex.Message);
                await Problems.InternalError(context).ConfigureAwait(false);
            }
        });
        app.UseStatusCodePages();
        if (cors)
        {
            app.Use((context, next) =>
            {
                // ASP.NET Core leaves Vary out when a single origin is allowed, but the answer does depend on Origin.
                if (context.Request.Headers.Origin.Count > 0)
                {
                    context.Response.OnStarting(() =>
                    {
                        var vary = context.Response.Headers.Vary;
                        if (!vary.Any(v => v?.Contains("Origin", StringComparison.OrdinalIgnoreCase) == true))
                        {
                            context.Response.Headers.Append("Vary", "Origin");
                        }

                        return Task.CompletedTask;
                    });
                }

                return next(context);
            });
            app.UseCors();
        }

        // In Azure, App Service Authentication sits in front of the Functions host: it runs before any route.
        var authentication = new AppServiceAuthentication(settings.Authentication, new AuthSessions(_time), _loggerFactory);
        app.Use(authentication.InvokeAsync);
        app.UseRouting();

        var invoker = _invoker!;

        // Disabled functions keep their routes: FunctionInvocationMiddleware serves them to the master key.
        foreach (var function in _catalog.Where(f => f.IsHttp))
        {
            try
            {
                MethodRoutes.Map(app, function.RouteTemplate ?? function.Name, function.Methods, context => invoker.HandleHttpAsync(context, function))
                    .WithDisplayName(function.Name);
            }
            catch (RoutePatternException ex)
            {
                throw new LocalHostException($"La route « {function.RouteTemplate} » de la fonction « {function.Name} » est invalide : {ex.Message}", ex);
            }
        }

        admin.Map(app);
        return app;
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        if (_httpApp is not null)
        {
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            drain.CancelAfter(_options.ShutdownTimeout);
            try
            {
                await _httpApp.StopAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _logger.LogWarning("Des requêtes étaient encore en cours après {Seconds} s : elles sont interrompues.", _options.ShutdownTimeout.TotalSeconds);
            }
        }

        if (_timers is not null)
        {
            await _timers.DisposeAsync().ConfigureAwait(false);
        }

        if (_supervisor is not null)
        {
            await _supervisor.DisposeAsync().ConfigureAwait(false);
        }

        if (_rpcApp is not null)
        {
            using var rpcStop = new CancellationTokenSource(_rpcStopTimeout);
            try
            {
                await _rpcApp.StopAsync(rpcStop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Streams of workers already gone.
            }
        }
    }

    private void UseLogging(IServiceCollection services)
    {
        services.AddLogging();
        services.Replace(ServiceDescriptor.Singleton(_loggerFactory));
    }

    private void LogFunctions(int port)
    {
        var text = new StringBuilder();
        text.AppendLine().AppendLine("Functions:").AppendLine();
        foreach (var function in _catalog)
        {
            text.Append("  ").Append(function.Name).Append(": ");
            if (function.IsDisabled)
            {
                text.Append("désactivée (AzureWebJobs.").Append(function.Name).Append(".Disabled)");
            }
            else if (function.IsHttp)
            {
                var methods = function.Methods.Count == 0 ? _allMethods : function.Methods;
                text.Append('[').AppendJoin(',', methods).Append("] http://localhost:").Append(port).Append('/').Append(function.RouteTemplate);
            }
            else
            {
                text.Append(function.TriggerType);
            }

            text.AppendLine();
        }

        _logger.LogInformation("{FunctionList}", text.ToString());
    }

    private static string ListeningAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? throw new LocalHostException("Kestrel n'a annoncé aucune adresse d'écoute.");

    private static void EnsurePortIsFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
        }
        catch (SocketException ex)
        {
            throw PortInUse(port, ex);
        }
    }

    private static LocalHostException PortInUse(int port, Exception inner) => new(
        $"Le port {port} est déjà utilisé (un autre hôte tourne-t-il ?). Libérez-le ou choisissez-en un autre avec --port ou Host.LocalHttpPort dans local.settings.json.",
        inner);
}
