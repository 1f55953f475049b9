using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using ResoSolidaire.LocalHost.Timers;
using ResoSolidaire.LocalHost.Worker;

namespace ResoSolidaire.LocalHost.Http;

/// <summary>
/// The part of the real host's admin API that operators and probes use, answered as
/// Azure/azure-functions-host v4 does: <c>HostController</c> (<c>admin/host/status</c>,
/// <c>admin/host/ping</c>) and <c>FunctionsController</c> (<c>admin/functions</c>,
/// <c>admin/functions/{name}</c>). Routes are matched before keys are checked, as MVC does.
/// </summary>
internal sealed class AdminApi(
    IReadOnlyList<FunctionDescriptor> catalog,
    KeyAuthorizer keys,
    WorkerSupervisor supervisor,
    TimerScheduler timers,
    string hostId,
    TimeProvider time)
{
    /// <summary>The host version told to the worker (WorkerInitRequest.host_version) and reported by <c>admin/host/status</c>.</summary>
    public const string EmulatedHostVersion = "4.1000.0";

    private static readonly string[] _jsonMediaTypes = ["application/json", "text/json"];

    public void Map(WebApplication app)
    {
        MethodRoutes.Map(app, "admin/host/status", ["GET"], Admin(StatusAsync));
        MethodRoutes.Map(app, "admin/host/ping", ["GET", "POST"], Ping);
        MethodRoutes.Map(app, "admin/functions", ["GET"], Admin(ListAsync));
        MethodRoutes.Map(app, "admin/functions/{name}", ["GET"], Admin(GetAsync));
        MethodRoutes.Map(app, "admin/functions/{name}", ["POST"], Admin(RunAsync));
    }

    /// <summary>
    /// The id the real host derives when it runs outside App Service (ScriptHostIdProvider): the
    /// machine name's letters and digits, a stable hash of the app's folder, at most 32 characters,
    /// lower case; <c>AzureFunctionsWebHost__hostid</c> overrides it.
    /// </summary>
    public static string HostIdFor(string appDirectory, IReadOnlyDictionary<string, string> values)
    {
        if (values.TryGetValue("AzureFunctionsWebHost__hostid", out var configured) && !string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var machine = new string([.. Environment.MachineName.Where(char.IsLetterOrDigit)]);
        var hash = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(appDirectory)), 0) & int.MaxValue;
        var id = string.Create(CultureInfo.InvariantCulture, $"{machine}-{hash}");
        return (id.Length > 32 ? id[..32] : id).ToLowerInvariant().TrimEnd('-');
    }

    private RequestDelegate Admin(RequestDelegate handler) => async context =>
    {
        switch (keys.AdminStatus(context))
        {
            case StatusCodes.Status401Unauthorized:
                await Problems.Unauthorized(context).ConfigureAwait(false);
                return;
            case StatusCodes.Status403Forbidden:
                await Problems.Forbidden(context).ConfigureAwait(false);
                return;
            default:
                await handler(context).ConfigureAwait(false);
                return;
        }
    };

    private Task StatusAsync(HttpContext context)
    {
        var running = supervisor.Current is not null;
        var version = typeof(AdminApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "inconnue";
        var status = new JsonObject
        {
            ["id"] = hostId,
            ["state"] = running ? "Running" : "Error",
            ["version"] = EmulatedHostVersion,
            ["versionDetails"] = $"{EmulatedHostVersion} (hôte local ResoSolidaire.LocalHost {version})",
            ["processUptime"] = (long)(time.GetUtcNow() - Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalMilliseconds,
            ["functionAppContentEditingState"] = "Unknown",
        };
        if (!running)
        {
            status["errors"] = new JsonArray("Le worker est arrêté ou redémarre : les fonctions ne répondent pas pour l'instant.");
        }

        return Results.Json(status).ExecuteAsync(context);
    }

    private static Task Ping(HttpContext context)
    {
        // [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)] on HostController.Ping.
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.Headers.Pragma = "no-cache";
        context.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    private Task ListAsync(HttpContext context)
    {
        var list = new JsonArray([.. catalog.Select(f => (JsonNode)Describe(f, BaseUrl(context)))]);
        return Results.Json(list).ExecuteAsync(context);
    }

    private Task GetAsync(HttpContext context)
    {
        var function = Find(context);
        return function is null ? Problems.NotFound(context) : Results.Json(Describe(function, BaseUrl(context))).ExecuteAsync(context);
    }

    /// <summary>
    /// FunctionsController.Invoke: the body binds <c>[FromBody] FunctionInvocation</c>, so a JSON
    /// content type is needed (415 otherwise) and an empty or unreadable body is a 400, before the
    /// function is even looked up. A disabled function still runs (the portal's Test/Run does this).
    /// </summary>
    private async Task RunAsync(HttpContext context)
    {
        if (!IsJson(context.Request.ContentType))
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, Problems.TitleFor(StatusCodes.Status415UnsupportedMediaType), "Envoyez un corps JSON { \"input\": \"...\" } avec Content-Type: application/json.").ConfigureAwait(false);
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        if (!TryReadInput(body, out var input))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Requête invalide", "Le corps doit être un objet JSON { \"input\": \"...\" } (il peut être {}).").ConfigureAwait(false);
            return;
        }

        var function = Find(context);
        if (function is null)
        {
            await Problems.NotFound(context).ConfigureAwait(false);
            return;
        }

        if (function.IsHttp)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Requête invalide", $"« {function.Name} » est une fonction HTTP : appelez son adresse.").ConfigureAwait(false);
            return;
        }

        timers.RunNow(function, input);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static bool TryReadInput(string body, out string? input)
    {
        input = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "input", StringComparison.OrdinalIgnoreCase))
                {
                    switch (property.Value.ValueKind)
                    {
                        case JsonValueKind.String:
                            input = property.Value.GetString();
                            break;
                        case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                            input = property.Value.GetRawText();
                            break;
                        case JsonValueKind.Null:
                            break;
                        default:
                            return false;
                    }
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Value is { } type
        && (_jsonMediaTypes.Contains(type, StringComparer.OrdinalIgnoreCase) || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    private FunctionDescriptor? Find(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string ?? string.Empty;
        return catalog.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    /// <summary>
    /// The shape of the real host's FunctionMetadataResponse (FunctionMetadataExtensions.ToFunctionMetadataResponse),
    /// the file links left null: this host serves no virtual file system.
    /// </summary>
    private static JsonObject Describe(FunctionDescriptor function, string baseUrl)
    {
        var bindings = new JsonArray([.. function.RawBindings.Select(raw => JsonNode.Parse(raw))]);
        return new JsonObject
        {
            ["name"] = function.Name,
            ["script_root_path_href"] = null,
            ["script_href"] = null,
            ["config_href"] = null,
            ["test_data_href"] = null,
            ["href"] = $"{baseUrl}/admin/functions/{function.Name}",
            ["invoke_url_template"] = function.IsHttp ? $"{baseUrl}/{function.RouteTemplate}".ToLowerInvariant() : null,
            ["language"] = function.Language,
            ["config"] = new JsonObject
            {
                ["name"] = function.Name,
                ["entryPoint"] = function.EntryPoint,
                ["scriptFile"] = function.ScriptFile,
                ["language"] = function.Language,
                ["functionDirectory"] = null,
                ["bindings"] = bindings,
            },
            ["files"] = null,
            ["test_data"] = null,
            ["isDisabled"] = function.IsDisabled,
            ["isDirect"] = false,
            ["isProxy"] = false,
        };
    }
}
