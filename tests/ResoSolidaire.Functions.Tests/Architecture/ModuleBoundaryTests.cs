using System.Text.RegularExpressions;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Architecture;

/// <summary>
/// The shape of docs/architecture.md, read from the sources: Platform and the kernel name no module, the arrows
/// between modules go one way, and a table or container is named only by the module that owns it.
/// </summary>
public sealed partial class ModuleBoundaryTests
{
    private static readonly string AppRoot = RepoPaths.Combine("functions", "ResoSolidaire.Functions");

    /// <summary>The folders that stand under every module and know none of them.</summary>
    private static readonly string[] Foundations = ["Platform", "Kernel"];

    [Fact]
    public void PlatformAndTheKernelNameNoModule()
    {
        var modules = Modules();
        var offences = Sources()
            .Where(s => Foundations.Contains(s.Folder))
            .SelectMany(s => s.Uses.Where(modules.Contains).Select(m => $"{s.Path} uses {m}"))
            .ToList();
        Assert.True(modules.Count >= 8, "modules found: " + string.Join(", ", modules));
        Assert.Empty(offences);
    }

    [Fact]
    public void ArrowsBetweenModulesGoOneWay()
    {
        var modules = Modules();
        var arrows = Sources()
            .Where(s => modules.Contains(s.Folder))
            .SelectMany(s => s.Uses.Where(u => modules.Contains(u) && u != s.Folder).Select(u => (From: s.Folder, To: u)))
            .Distinct()
            .ToList();
        var cycles = arrows.Where(a => Reaches(arrows, a.To, a.From)).Select(a => $"{a.From} -> {a.To}").ToList();
        Assert.Empty(cycles);
    }

    [Fact]
    public void ExportsPrivacyAndTheReportNameNoModule()
    {
        var modules = Modules();
        var offences = Sources()
            .Where(s => s.Folder is "Exports" or "Privacy" or "Report")
            .SelectMany(s => s.Uses.Where(u => modules.Contains(u) && u != s.Folder).Select(u => $"{s.Path} uses {u}"))
            .ToList();
        Assert.Empty(offences);
    }

    [Fact]
    public void ATableOrContainerIsNamedOnlyByItsModule()
    {
        var sources = Sources();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (Match m in TypeDeclaration().Matches(source.Text))
            {
                owners.TryAdd(m.Groups[1].Value, source.Folder);
            }
        }

        var offences = new List<string>();
        var checkedNames = 0;
        foreach (var source in sources)
        {
            foreach (Match m in StorageName().Matches(source.Text))
            {
                checkedNames++;
                var owner = owners.GetValueOrDefault(m.Groups[1].Value, source.Folder);
                if (owner != source.Folder)
                {
                    offences.Add($"{source.Path} names {m.Groups[1].Value}.{m.Groups[2].Value}, a table of {owner}");
                }
            }
        }

        Assert.True(checkedNames >= 10, $"only {checkedNames} storage names found: is the pattern still right?");
        Assert.Empty(offences);
    }

    [Fact]
    public void TheCheckSeesACycleAndAForeignTable()
    {
        // The checks above must be able to fail: a made-up arrow back, and a made-up foreign name.
        (string From, string To)[] arrows = [("Inbox", "Contact"), ("Contact", "Inbox")];
        Assert.True(Reaches([.. arrows], "Contact", "Inbox"));
        Assert.Matches(StorageName(), "var t = await storage.TableAsync(NewsletterStorage.Subscribers, ct);");
        Assert.Matches(StorageName(), "tables.GetTableClient(names.Table(ContactForm.TableName))");
    }

    private static bool Reaches(List<(string From, string To)> arrows, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var current))
        {
            if (current == to)
            {
                return true;
            }

            foreach (var next in arrows.Where(a => a.From == current && seen.Add(a.To)).Select(a => a.To))
            {
                queue.Enqueue(next);
            }
        }

        return false;
    }

    private static HashSet<string> Modules() =>
        [.. System.IO.Directory.GetDirectories(AppRoot)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n is not ("bin" or "obj") && !Foundations.Contains(n))];

    private static List<Source> Sources() =>
        [.. System.IO.Directory.EnumerateFiles(AppRoot, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => new Source(p))
            .Where(s => s.Folder.Length > 0)];

    private sealed record Source(string Path)
    {
        public string Text { get; } = File.ReadAllText(Path);

        /// <summary>The top folder under the app (Contact, Platform...); empty for Program.cs, which composes them all.</summary>
        public string Folder { get; } = System.IO.Path.GetRelativePath(AppRoot, Path).Split(System.IO.Path.DirectorySeparatorChar) is { Length: > 1 } parts ? parts[0] : "";

        /// <summary>The top namespaces of the app it uses, by using directive or by full name.</summary>
        public HashSet<string> Uses => [.. AppNamespace().Matches(Text).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"ResoSolidaire\.Functions\.([A-Z][A-Za-z]+)")]
    private static partial Regex AppNamespace();

    [GeneratedRegex(@"(?:class|record|struct)\s+([A-Z][A-Za-z0-9]*)")]
    private static partial Regex TypeDeclaration();

    /// <summary>A table or container named through a type's constant: names.Table(X.Y), names.Container(X.Y), storage.TableAsync(X.Y).</summary>
    [GeneratedRegex(@"(?:names\.(?:Table|Container)|TableAsync|ContainerAsync)\(\s*([A-Z][A-Za-z0-9]*)\.([A-Z][A-Za-z0-9]*)")]
    private static partial Regex StorageName();
}
