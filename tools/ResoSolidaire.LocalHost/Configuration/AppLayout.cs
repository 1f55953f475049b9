using System.Text.Json;

namespace ResoSolidaire.LocalHost.Configuration;

/// <summary>What the function app's build output says about itself: worker.config.json and host.json.</summary>
internal sealed record AppLayout(string AppDirectory, string WorkerExecutable, string WorkerPath, string RoutePrefix)
{
    public const string BuildHint = "dotnet build functions/ResoSolidaire.Functions";

    public static AppLayout Load(string appDirectory)
    {
        var directory = Path.GetFullPath(appDirectory);
        var configPath = Path.Combine(directory, "worker.config.json");
        if (!File.Exists(configPath))
        {
            var where = Directory.Exists(directory) ? "ne contient pas de worker.config.json" : "n'existe pas";
            throw new LocalHostException(
                $"Le dossier de l'application de fonctions « {directory} » {where}. Compilez d'abord l'application ({BuildHint}) ou indiquez sa sortie de build avec --app <dossier>.");
        }

        string executable;
        string workerPath;
        try
        {
            using var config = JsonDocument.Parse(File.ReadAllText(configPath));
            var description = config.RootElement.GetProperty("description");
            executable = description.TryGetProperty("defaultExecutablePath", out var exe) && exe.GetString() is { Length: > 0 } e ? e : "dotnet";
            workerPath = description.GetProperty("defaultWorkerPath").GetString()
                ?? throw new LocalHostException($"{configPath} : description.defaultWorkerPath est vide.");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new LocalHostException($"Le fichier « {configPath} » est illisible ({ex.Message}). Recompilez l'application ({BuildHint}).", ex);
        }

        var fullWorkerPath = Path.Combine(directory, workerPath);
        if (!File.Exists(fullWorkerPath))
        {
            throw new LocalHostException($"L'assembly du worker « {fullWorkerPath} » est introuvable. Recompilez l'application ({BuildHint}).");
        }

        return new AppLayout(directory, executable, fullWorkerPath, ReadRoutePrefix(Path.Combine(directory, "host.json")));
    }

    private static string ReadRoutePrefix(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
        {
            return "api";
        }

        try
        {
            using var hostJson = JsonDocument.Parse(
                File.ReadAllText(hostJsonPath),
                new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (hostJson.RootElement.TryGetProperty("extensions", out var extensions)
                && extensions.TryGetProperty("http", out var http)
                && http.TryGetProperty("routePrefix", out var prefix)
                && prefix.ValueKind == JsonValueKind.String)
            {
                return (prefix.GetString() ?? string.Empty).Trim('/');
            }

            return "api";
        }
        catch (JsonException ex)
        {
            throw new LocalHostException(
                $"Le fichier « {hostJsonPath} » n'est pas un JSON valide (ligne {(ex.LineNumber ?? 0) + 1}).", ex);
        }
    }
}
