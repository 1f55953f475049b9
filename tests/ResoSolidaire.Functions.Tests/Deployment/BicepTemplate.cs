using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Deployment;

/// <summary>
/// infra/main.bicep compiled to an ARM template by the Bicep CLI that tools/BicepCli restores from NuGet,
/// and the app settings the template gives the function app.
/// </summary>
public static class BicepTemplate
{
    public const string MainFile = "infra/main.bicep";
    public const string AppSettingsFile = "infra/app/api.bicep";
    private const string CliPackage = "Azure.Bicep.CommandLine.linux-x64";

    private static readonly Lazy<Task<JsonNode>> _compiled = new(async () =>
        JsonNode.Parse(await CompileAsync().ConfigureAwait(false))
            ?? throw new InvalidOperationException($"{MainFile} compiled to an empty template."));

    /// <summary>Every resource of the compiled template, those of every module included.</summary>
    public static async Task<IReadOnlyList<JsonNode>> ResourcesAsync()
    {
        var resources = new List<JsonNode>();
        Collect(await _compiled.Value.ConfigureAwait(false), resources);
        return resources;
    }

    /// <summary>Names and values of the <c>Microsoft.Web/sites/config</c> appsettings resources.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> AppSettingsAsync()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in await ResourcesAsync().ConfigureAwait(false))
        {
            if (IsOfType(resource, "Microsoft.Web/sites/config")
                && ((string?)resource["name"] ?? "").Contains("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                if (resource["properties"] is not JsonObject properties)
                {
                    throw new InvalidOperationException(
                        $"The appsettings of {AppSettingsFile} must stay one literal object (no union() or spread) so that this test can read their names.");
                }

                foreach (var (name, value) in properties)
                {
                    settings[name] = value?.ToString() ?? "";
                }
            }
        }

        return settings;
    }

    /// <summary>
    /// The value a property of the one resource of <paramref name="type"/> gets when main.bicep is deployed with
    /// its defaults: a parameter reference (possibly inside <c>json(...)</c>) is followed through the module's
    /// parameters up to main.bicep's default value.
    /// </summary>
    public static async Task<JsonNode?> DeployedValueAsync(string type, params string[] path)
    {
        var found = new List<(JsonNode Resource, IReadOnlyList<(JsonNode Template, JsonNode? Module)> Scopes)>();
        Find(await _compiled.Value.ConfigureAwait(false), null, [], type, found);
        var (resource, scopes) = found.Count == 1
            ? found[0]
            : throw new InvalidOperationException($"{MainFile} has {found.Count} resources of type {type}, not one.");
        var value = path.Aggregate<string, JsonNode?>(resource, (node, name) => node?[name]);
        var asJson = false;
        for (var level = scopes.Count - 1; level >= 0 && IsExpression(value); level--)
        {
            var (name, json) = ParameterReference((string)value!);
            asJson |= json;
            var (template, module) = scopes[level];
            value = module is null
                ? template["parameters"]?[name]?["defaultValue"]
                : module["properties"]?["parameters"]?[name]?["value"];
        }

        return asJson && value is JsonValue text && text.TryGetValue<string>(out var literal) ? JsonNode.Parse(literal) : value;
    }

    /// <summary>A parameter of main.bicep and its default value.</summary>
    public static async Task<JsonNode?> MainParameterDefaultAsync(string name) =>
        (await _compiled.Value.ConfigureAwait(false))["parameters"]?[name]?["defaultValue"];

    private static bool IsExpression(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var text) && text.StartsWith('[');

    private static (string Name, bool AsJson) ParameterReference(string expression)
    {
        var match = System.Text.RegularExpressions.Regex.Match(expression, @"^\[(json\()?parameters\('(?<name>[A-Za-z0-9_]+)'\)\)?\]$");
        return match.Success
            ? (match.Groups["name"].Value, match.Groups[1].Success)
            : throw new InvalidOperationException($"Not a plain parameter reference: {expression}");
    }

    private static void Find(JsonNode template, JsonNode? module, IReadOnlyList<(JsonNode, JsonNode?)> outer, string type, List<(JsonNode, IReadOnlyList<(JsonNode, JsonNode?)>)> found)
    {
        var scopes = outer.Append((template, module)).ToList();
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonNode>(),
            JsonObject map => map.Select(p => p.Value).OfType<JsonNode>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            if (IsOfType(resource, "Microsoft.Resources/deployments") && resource["properties"]?["template"] is { } nested)
            {
                Find(nested, resource, scopes, type, found);
            }
            else if (IsOfType(resource, type))
            {
                found.Add((resource, scopes));
            }
        }
    }

    public static bool IsOfType(JsonNode resource, string type) =>
        string.Equals((string?)resource["type"], type, StringComparison.OrdinalIgnoreCase);

    private static void Collect(JsonNode template, List<JsonNode> found)
    {
        // Templates with symbolic names (languageVersion 2.0) keep resources in an object, others in an array.
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonNode>(),
            JsonObject map => map.Select(p => p.Value).OfType<JsonNode>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            if (IsOfType(resource, "Microsoft.Resources/deployments") && resource["properties"]?["template"] is { } nested)
            {
                Collect(nested, found);
            }
            else
            {
                found.Add(resource);
            }
        }
    }

    private static async Task<string> CompileAsync()
    {
        var start = new ProcessStartInfo(FindCli())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in new[] { "build", MainFile, "--stdout", "--no-restore" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The Bicep CLI did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return process.ExitCode == 0
            ? await output.ConfigureAwait(false)
            : throw new InvalidOperationException($"bicep build {MainFile} failed:\n{await errors.ConfigureAwait(false)}");
    }

    /// <summary>The CLI in the NuGet cache, at the version Directory.Packages.props pins.</summary>
    private static string FindCli()
    {
        var version = XDocument.Load(RepoPaths.Combine("Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Where(p => (string?)p.Attribute("Include") == CliPackage)
            .Select(p => (string?)p.Attribute("Version"))
            .SingleOrDefault()
            ?? throw new InvalidOperationException($"Directory.Packages.props pins no version of {CliPackage}.");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cli = Path.Combine(packages, CliPackage.ToLowerInvariant(), version, "tools", "bicep");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI is not at {cli}: run `dotnet restore ResoSolidaire.sln` (tools/BicepCli brings it).");
        }

        // NuGet does not keep the executable bit of the files it extracts.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(cli);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(cli, mode | UnixFileMode.UserExecute);
            }
        }

        return cli;
    }
}
