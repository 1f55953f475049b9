using System.Text.Json;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Deployment;

/// <summary>The <c>Values</c> of <c>local.settings.sample.json</c>, which a newcomer copies to run the app.</summary>
public static class LocalSettingsSample
{
    public const string FileName = "local.settings.sample.json";

    public static IReadOnlyList<string> ValueNames()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine(FileName)));
        return document.RootElement.TryGetProperty("Values", out var values)
            ? [.. values.EnumerateObject().Select(p => p.Name)]
            : throw new InvalidOperationException($"{FileName} has no Values object.");
    }
}
