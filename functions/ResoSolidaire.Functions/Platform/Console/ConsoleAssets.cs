using System.Collections.Frozen;

namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>
/// The files a console page links to, embedded from <c>Platform/Console/Assets</c>: the style sheet, and htmx and
/// Chart.js as published on npm (the versions of package.json; a test keeps the copies equal to node_modules).
/// </summary>
public static class ConsoleAssets
{
    public const string StyleSheet = "console.css";

    public const string Htmx = "htmx.min.js";

    public const string Charts = "chart.umd.min.js";

    /// <summary>Draws a page's charts with Chart.js from the figures each canvas carries (the console's own script).</summary>
    public const string ChartsSetup = "console-charts.js";

    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [StyleSheet] = "text/css; charset=utf-8",
        [Htmx] = "text/javascript; charset=utf-8",
        [Charts] = "text/javascript; charset=utf-8",
        [ChartsSetup] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, ConsoleAsset>> Files = new(() => Types.ToFrozenDictionary(
        t => t.Key,
        t => new ConsoleAsset(Read(t.Key), t.Value),
        StringComparer.Ordinal));

    /// <summary>The address of a file, for a page's <c>link</c> or <c>script</c>.</summary>
    public static string Path(string name) => ConsolePaths.Of("fichiers/" + name);

    public static ConsoleAsset? Find(string name) => Files.Value.GetValueOrDefault(name);

    private static byte[] Read(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream("console-assets/" + name)
            ?? throw new InvalidOperationException($"The console's file {name} is not embedded in the app.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>An embedded file and its media type.</summary>
public sealed record ConsoleAsset(byte[] Content, string ContentType);
