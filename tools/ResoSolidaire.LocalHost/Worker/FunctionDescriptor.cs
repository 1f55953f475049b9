using System.Text.Json;
using ResoSolidaire.LocalHost.Rpc;

namespace ResoSolidaire.LocalHost.Worker;

/// <summary>A function as the host serves it, read from the worker's metadata.</summary>
internal sealed record FunctionDescriptor
{
    public required string Name { get; init; }

    public required string TriggerType { get; init; }

    public required string TriggerBindingName { get; init; }

    public FunctionAuthLevel AuthLevel { get; init; } = FunctionAuthLevel.Admin;

    /// <summary>Route template including the prefix, without a leading slash; null for non-HTTP functions.</summary>
    public string? RouteTemplate { get; init; }

    public IReadOnlyList<string> Methods { get; init; } = [];

    public bool IsDisabled { get; init; }

    /// <summary>Timer schedule after %setting% resolution.</summary>
    public string? Schedule { get; init; }

    public bool RunOnStartup { get; init; }

    /// <summary>The worker's binding declarations (functions.metadata shape), for <c>GET /admin/functions</c>.</summary>
    public IReadOnlyList<string> RawBindings { get; init; } = [];

    public string EntryPoint { get; init; } = string.Empty;

    public string ScriptFile { get; init; } = string.Empty;

    public string Language { get; init; } = string.Empty;

    public bool IsHttp => string.Equals(TriggerType, "httpTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsTimer => string.Equals(TriggerType, "timerTrigger", StringComparison.OrdinalIgnoreCase);

    public HostedFunction ToPublic() => new(Name, TriggerType, AuthLevel, RouteTemplate, Methods, IsDisabled);

    public static FunctionDescriptor FromMetadata(RpcFunctionMetadata metadata, string routePrefix, IReadOnlyDictionary<string, string> values) =>
        Describe(metadata, routePrefix, values) with
        {
            RawBindings = [.. metadata.RawBindings],
            EntryPoint = metadata.EntryPoint,
            ScriptFile = metadata.ScriptFile,
            Language = metadata.Language,
        };

    private static FunctionDescriptor Describe(RpcFunctionMetadata metadata, string routePrefix, IReadOnlyDictionary<string, string> values)
    {
        var name = metadata.Name;
        var disabled = values.TryGetValue($"AzureWebJobs.{name}.Disabled", out var flag) && Configuration.LocalSettings.IsTrue(flag);
        foreach (var raw in metadata.RawBindings)
        {
            using var binding = JsonDocument.Parse(raw);
            var root = binding.RootElement;
            var type = Text(root, "type") ?? string.Empty;
            var direction = Text(root, "direction") ?? "in";
            if (!type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase) || !direction.Equals("in", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var bindingName = Text(root, "name") ?? string.Empty;
            if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                var route = (Text(root, "route") ?? name).Trim('/');
                return new FunctionDescriptor
                {
                    Name = name,
                    TriggerType = "httpTrigger",
                    TriggerBindingName = bindingName,
                    AuthLevel = ParseAuthLevel(Text(root, "authLevel")),
                    RouteTemplate = routePrefix.Length == 0 ? route : route.Length == 0 ? routePrefix : $"{routePrefix}/{route}",
                    Methods = ReadMethods(root),
                    IsDisabled = disabled,
                };
            }

            if (type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
            {
                return new FunctionDescriptor
                {
                    Name = name,
                    TriggerType = "timerTrigger",
                    TriggerBindingName = bindingName,
                    Schedule = ResolveSetting(Text(root, "schedule") ?? string.Empty, name, values),
                    RunOnStartup = Flag(root, "runOnStartup"),
                    IsDisabled = disabled,
                };
            }

            return new FunctionDescriptor { Name = name, TriggerType = type, TriggerBindingName = bindingName, IsDisabled = disabled };
        }

        throw new LocalHostException($"La fonction « {name} » n'a pas de déclencheur : les métadonnées du worker sont incomplètes.");
    }

    /// <summary>Builds worker metadata from functions.metadata, for a worker that asks the host to index.</summary>
    public static IReadOnlyList<RpcFunctionMetadata> ReadFunctionsMetadataFile(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "functions.metadata");
        if (!File.Exists(path))
        {
            throw new LocalHostException($"Le worker demande l'indexation par l'hôte mais « {path} » est introuvable. Recompilez l'application ({Configuration.AppLayout.BuildHint}).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var result = new List<RpcFunctionMetadata>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var metadata = new RpcFunctionMetadata
            {
                Name = Text(function, "name") ?? string.Empty,
                ScriptFile = Text(function, "scriptFile") ?? string.Empty,
                EntryPoint = Text(function, "entryPoint") ?? string.Empty,
                Language = Text(function, "language") ?? "dotnet-isolated",
                Directory = appDirectory,
                FunctionId = Guid.NewGuid().ToString(),
            };
            if (function.TryGetProperty("bindings", out var bindings))
            {
                foreach (var binding in bindings.EnumerateArray())
                {
                    metadata.RawBindings.Add(binding.GetRawText());
                    var direction = (Text(binding, "direction") ?? "in").ToUpperInvariant() switch
                    {
                        "OUT" => BindingInfo.Types.Direction.Out,
                        "INOUT" => BindingInfo.Types.Direction.Inout,
                        _ => BindingInfo.Types.Direction.In,
                    };
                    metadata.Bindings[Text(binding, "name") ?? string.Empty] = new BindingInfo { Type = Text(binding, "type") ?? string.Empty, Direction = direction };
                }
            }

            result.Add(metadata);
        }

        return result;
    }

    private static string ResolveSetting(string value, string functionName, IReadOnlyDictionary<string, string> values)
    {
        if (value.Length > 2 && value[0] == '%' && value[^1] == '%')
        {
            var setting = value[1..^1];
            return values.TryGetValue(setting, out var resolved) && !string.IsNullOrWhiteSpace(resolved)
                ? resolved
                : throw new LocalHostException($"La planification du minuteur « {functionName} » fait référence au paramètre « {setting} », absent de Values (local.settings.json).");
        }

        return value;
    }

    private static FunctionAuthLevel ParseAuthLevel(string? value) => value?.ToUpperInvariant() switch
    {
        "ANONYMOUS" => FunctionAuthLevel.Anonymous,
        "ADMIN" or "SYSTEM" => FunctionAuthLevel.Admin,
        _ => FunctionAuthLevel.Function,
    };

    private static string[] ReadMethods(JsonElement binding)
    {
        if (Property(binding, "methods") is not { ValueKind: JsonValueKind.Array } methods)
        {
            return [];
        }

        return [.. methods.EnumerateArray()
            .Select(m => m.GetString())
            .Where(m => !string.IsNullOrWhiteSpace(m))
            .Select(m => m!.Trim().ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)];
    }

    private static bool Flag(JsonElement element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.String } s => Configuration.LocalSettings.IsTrue(s.GetString()),
        _ => false,
    };

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
