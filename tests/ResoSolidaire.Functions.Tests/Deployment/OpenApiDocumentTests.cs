using System.Text.Json;
using System.Text.RegularExpressions;
using ResoSolidaire.Testing;
using YamlDotNet.RepresentationModel;

namespace ResoSolidaire.Functions.Tests.Deployment;

/// <summary>
/// Keeps docs/openapi.yaml in line with the app as built: every anonymous route and method of the
/// functions.metadata the build writes is described, under the function's name, and the document describes
/// nothing the app does not serve. The website developer reads this document; a route it lacks is a route
/// nobody knows how to call.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly string[] Verbs = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>One method of one route: <c>POST /api/contact</c>, served by a function of that name.</summary>
    private sealed record Operation(string Method, string Path, string Name)
    {
        public string Key => $"{Method} {Path}";

        public override string ToString() => $"{Key} ({Name})";
    }

    [Fact]
    public void TheDocumentDescribesEveryAnonymousRouteOfTheAppAndNoOther()
    {
        var app = AnonymousOperations().ToDictionary(o => o.Key, StringComparer.Ordinal);
        var document = DocumentedOperations().ToDictionary(o => o.Key, StringComparer.Ordinal);

        var undocumented = app.Keys.Except(document.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(k => app[k]).ToList();
        var unserved = document.Keys.Except(app.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(k => document[k]).ToList();
        Assert.True(
            undocumented.Count == 0 && unserved.Count == 0,
            "docs/openapi.yaml is out of line with functions.metadata.\n"
            + $"Anonymous routes the document lacks: {(undocumented.Count == 0 ? "none" : string.Join(", ", undocumented))}\n"
            + $"Routes the document has and the app does not serve anonymously: {(unserved.Count == 0 ? "none" : string.Join(", ", unserved))}");
    }

    [Fact]
    public void EachOperationIsNamedAfterItsFunctionAndSaysWhatItAnswers()
    {
        var app = AnonymousOperations().ToDictionary(o => o.Key, StringComparer.Ordinal);
        var misnamed = DocumentedOperations()
            .Where(o => app.TryGetValue(o.Key, out var served) && served.Name != o.Name)
            .Select(o => $"{o.Key}: operationId {o.Name}, function {app[o.Key].Name}")
            .ToList();
        Assert.Empty(misnamed);

        foreach (var (path, method, operation) in OperationNodes())
        {
            Assert.True(Child(operation, "summary") is YamlScalarNode { Value.Length: > 0 }, $"{method} {path} has no summary.");
            var responses = Assert.IsType<YamlMappingNode>(Child(operation, "responses"));
            Assert.Contains(responses.Children.Keys, k => ((YamlScalarNode)k).Value!.StartsWith('2'));
        }
    }

    [Fact]
    public void TheAppDeclaresAnonymousRoutesForTheTestToCompare()
    {
        // Guards the comparison itself: a metadata file read wrong would make both sides empty and equal.
        var app = AnonymousOperations().ToList();

        Assert.Contains(app, o => o.Key == "POST /api/contact");
        Assert.Contains(app, o => o.Key == "GET /api/newsletter/archive/{id}");
        Assert.DoesNotContain(app, o => o.Path.StartsWith("/api/staff/", StringComparison.Ordinal));
    }

    /// <summary>
    /// The public HTTP operations of functions.metadata, as the build output of the function app holds it: anonymous
    /// at the host and not a staff route (the staff API and console are anonymous at the host too, behind App
    /// Service Authentication, and are not the website developer's concern).
    /// </summary>
    private static List<Operation> AnonymousOperations()
    {
        var output = RepoPaths.BuildOutput(Path.Combine("functions", "ResoSolidaire.Functions"));
        var prefix = RoutePrefix(output);
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        var operations = new List<Operation>();
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (!string.Equals(Text(binding, "type"), "httpTrigger", StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(Text(binding, "authLevel"), "Anonymous", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var route = RouteParameter().Replace(Text(binding, "route") ?? name, "{$1}");
                if (route.StartsWith("staff/", StringComparison.Ordinal) || route.StartsWith("equipe", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = "/" + string.Join('/', new[] { prefix, route.Trim('/') }.Where(p => p.Length > 0));
                foreach (var method in binding.GetProperty("methods").EnumerateArray())
                {
                    operations.Add(new Operation(method.GetString()!.ToUpperInvariant(), path, name));
                }
            }
        }

        return operations;
    }

    private static string RoutePrefix(string output)
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "host.json")));
        return host.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString()!.Trim('/')
            : "api";
    }

    private static string? Text(JsonElement element, string name) =>
        element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } value
            ? value.GetString()
            : null;

    private static IEnumerable<Operation> DocumentedOperations() =>
        OperationNodes().Select(o => new Operation(
            o.Method.ToUpperInvariant(),
            o.Path,
            (Child(o.Node, "operationId") as YamlScalarNode)?.Value ?? ""));

    private static IEnumerable<(string Path, string Method, YamlMappingNode Node)> OperationNodes()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RepoPaths.Combine("docs", "openapi.yaml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        var paths = Assert.IsType<YamlMappingNode>(Child(root, "paths"));
        foreach (var (key, value) in paths.Children)
        {
            var item = Assert.IsType<YamlMappingNode>(value);
            foreach (var (verb, operation) in item.Children)
            {
                var method = ((YamlScalarNode)verb).Value!;
                if (Verbs.Contains(method, StringComparer.Ordinal))
                {
                    yield return (((YamlScalarNode)key).Value!, method, Assert.IsType<YamlMappingNode>(operation));
                }
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode node, string name) =>
        node.Children.TryGetValue(new YamlScalarNode(name), out var child) ? child : null;

    /// <summary>A route parameter with its constraint or optional mark (<c>{id:int}</c>, <c>{id?}</c>), as OpenAPI writes it: <c>{id}</c>.</summary>
    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
