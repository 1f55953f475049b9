using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ResoSolidaire.Testing;

namespace ResoSolidaire.Functions.Tests.Reliability;

/// <summary>
/// The reliability suite runs alone (no other collection in parallel), so that its load does not starve
/// the other tests and their timings do not disturb its figures. Every backend it starts logs into
/// <see cref="SuiteLogs"/>, which each test searches for the secrets and personal data used so far.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilitySuite : ICollectionFixture<SuiteLogs>
{
    public const string Name = "Reliability";

    /// <summary>Settings every backend of the suite gets: a rate limit high enough for one machine to post thousands of forms.</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // The load comes from one machine: the per-client limit (5 per 10 minutes in production) is raised.
            ["Forms__RateLimitPermits"] = "10000",
            ["Forms__RateLimitRejectedPermits"] = "10000",

            // Each sender is a client of its own (no counter row shared by thousands of posts): the suite
            // plays the front end, whose X-Forwarded-For entry sits left of the local host's (two trusted hops).
            ["Forms__TrustedProxyHops"] = "2",
            ["Forms__ThankYouUrl"] = "http://localhost:8080/merci.html",
            ["Forms__AllowedRedirectOrigins"] = "http://localhost:8080,http://127.0.0.1:8080",
            ["Tokens__SigningKey"] = Newsletter.NewsletterBackend.SigningKey,
        };
        foreach (var (name, value) in extra ?? [])
        {
            settings[name] = value;
        }

        return settings;
    }
}

/// <summary>
/// Every line the hosts and workers of the suite log (formatted message and exception) goes through here as it
/// is written: a line that carries an e-mail address, a French phone number or a secret the suite used (keys,
/// tokens, the storage key) is kept as a leak; errors are kept to explain failures. The lines themselves are
/// not kept (a load logs millions), unless RELIABILITY_LOG_FILE names a file to write them to.
/// </summary>
public sealed partial class SuiteLogs : ILoggerProvider
{
    private const int MaxKept = 200;

    private readonly ConcurrentQueue<string> _leaks = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);
    private readonly StreamWriter? _file;
    private readonly Lock _fileGate = new();
    private string[] _secretList = [];
    private long _count;

    public SuiteLogs()
    {
        // The keys of the settings sample are what every backend of the suite runs with: known before any line is logged.
        var keys = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")))?["Keys"];
        Remember(keys?["Master"]?.GetValue<string>() ?? "");
        foreach (var (_, value) in keys?["Host"]?.AsObject() ?? [])
        {
            Remember(value!.GetValue<string>());
        }

        Remember(Newsletter.NewsletterBackend.SigningKey);
        Remember(StorageAccountKey);
        if (Environment.GetEnvironmentVariable("RELIABILITY_LOG_FILE") is { Length: > 0 } path)
        {
            _file = new StreamWriter(path, append: false);
        }

        Factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));
    }

    /// <summary>Azurite's well-known account key: a stand-in for the storage secrets of production.</summary>
    public const string StorageAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public ILoggerFactory Factory { get; }

    public long LineCount => Interlocked.Read(ref _count);

    public Task<Backend> StartBackendAsync(Dictionary<string, string?>? settings = null, AzuriteServer? azurite = null) =>
        Backend.StartAsync(new BackendOptions { Settings = ReliabilitySuite.Settings(settings), Azurite = azurite }, Factory);

    /// <summary>A secret sent by the suite that must never appear in a log (key, token). Addresses and phones are found by pattern.</summary>
    public string Remember(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length >= 8 && _secrets.TryAdd(secret, 0))
        {
            _secretList = [.. _secrets.Keys];
        }

        return secret;
    }

    /// <summary>Lines that carried a remembered secret, an e-mail address or a French phone number (the first ones).</summary>
    public IReadOnlyList<string> Leaks => [.. _leaks];

    /// <summary>The first errors (Azure.Core's request traces left out), to explain a failure.</summary>
    public string Problems(int max = 15) => string.Join('\n', _errors.Distinct().Take(max));

    public void AssertNoLeak()
    {
        var leaks = Leaks;
        Assert.True(leaks.Count == 0, $"Logs carry personal data or secrets ({leaks.Count} line(s) of {LineCount}):\n" + string.Join('\n', leaks.Take(20)));
    }

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void Dispose()
    {
        Factory.Dispose();
        lock (_fileGate)
        {
            _file?.Dispose();
        }
    }

    private void Add(LogLevel level, string category, string line)
    {
        Interlocked.Increment(ref _count);
        if (_file is not null)
        {
            lock (_fileGate)
            {
                _file.WriteLine(line);
            }
        }

        if (_leaks.Count < MaxKept && IsLeak(line))
        {
            _leaks.Enqueue(Shorten(line));
        }

        if (level >= LogLevel.Error && category != "Azure.Core" && _errors.Count < MaxKept)
        {
            _errors.Enqueue(Shorten(line));
        }
    }

    private bool IsLeak(string line) =>
        EmailPattern().IsMatch(line) || PhonePattern().IsMatch(line) || _secretList.Any(s => line.Contains(s, StringComparison.Ordinal));

    private static string Shorten(string line) => line.Length > 400 ? line[..400] : line;

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    // +33 6 12 34 56 78, +33612345678, 0612345678, 06 12 34 56 78, 06.12.34.56.78; not inside a longer token (timestamp, identifier).
    [GeneratedRegex(@"(?<![\w\-])(\+33\s?[1-9]|0[1-9])([\s.]?\d{2}){4}(?![\w\-])", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    private sealed class LineLogger(SuiteLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            owner.Add(logLevel, category, exception is null ? line : line + " " + exception);
        }
    }
}
