namespace ResoSolidaire.Testing;

/// <summary>Finds the repository's folders from wherever the tests run.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The build output of a project, in the configuration the tests were built in.</summary>
    public static string BuildOutput(string projectDirectory)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var output = Combine(projectDirectory, "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(output, "worker.config.json"))
            ? output
            : throw new InvalidOperationException($"No build output in {output}: build the solution first (dotnet build ResoSolidaire.sln -c {configuration}).");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ResoSolidaire.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ResoSolidaire.sln not found above " + AppContext.BaseDirectory);
    }
}
