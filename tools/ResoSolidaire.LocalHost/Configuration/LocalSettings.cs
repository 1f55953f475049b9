using System.Globalization;
using System.Text.Json;

namespace ResoSolidaire.LocalHost.Configuration;

/// <summary>
/// The parts of <c>local.settings.json</c> the host uses: <c>Values</c>, <c>ConnectionStrings</c>,
/// <c>Host</c> (<c>LocalHttpPort</c>, <c>CORS</c>, <c>CORSCredentials</c>), <c>Keys</c> and
/// <c>LocalAuthentication</c> (the users of the emulated App Service Authentication).
/// </summary>
internal sealed class LocalSettings
{
    private static readonly JsonDocumentOptions _jsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public IReadOnlyDictionary<string, string> Values { get; private init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> ConnectionStrings { get; private init; } = new Dictionary<string, string>();

    public int? LocalHttpPort { get; private init; }

    public IReadOnlyList<string> CorsOrigins { get; private init; } = [];

    public bool CorsCredentials { get; private init; }

    public HostKeys Keys { get; private init; } = HostKeys.None;

    public LocalAuthentication Authentication { get; private init; } = LocalAuthentication.None;

    public static LocalSettings Empty { get; } = new();

    public static LocalSettings Load(string? path)
    {
        if (path is null)
        {
            return Empty;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LocalHostException($"Impossible de lire le fichier de paramètres « {path} » : {ex.Message}", ex);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, _jsonOptions);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            throw new LocalHostException(
                $"Le fichier de paramètres « {path} » n'est pas un JSON valide (ligne {line}, colonne {column}). Corrigez-le ou repartez de local.settings.sample.json.",
                ex);
        }

        using (document)
        {
            try
            {
                return Parse(document.RootElement);
            }
            catch (FormatException ex)
            {
                throw new LocalHostException($"Le fichier de paramètres « {path} » est mal formé : {ex.Message}", ex);
            }
        }
    }

    private static LocalSettings Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("la racine doit être un objet JSON.");
        }

        var host = Property(root, "Host");
        int? port = null;
        if (host is { } h && Property(h, "LocalHttpPort") is { } p)
        {
            port = p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n) ? n
                : int.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s
                : throw new FormatException("Host.LocalHttpPort doit être un numéro de port.");
        }

        var cors = host is { } hc && Property(hc, "CORS") is { } c ? Scalar(c, "Host.CORS") : null;
        var credentials = host is { } hk && Property(hk, "CORSCredentials") is { } cc && IsTrue(Scalar(cc, "Host.CORSCredentials"));

        return new LocalSettings
        {
            Values = StringMap(Property(root, "Values"), "Values"),
            ConnectionStrings = StringMap(Property(root, "ConnectionStrings"), "ConnectionStrings"),
            LocalHttpPort = port,
            CorsOrigins = (cors ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            CorsCredentials = credentials,
            Keys = ParseKeys(Property(root, "Keys")),
            Authentication = LocalAuthentication.Parse(Property(root, "LocalAuthentication")),
        };
    }

    private static HostKeys ParseKeys(JsonElement? keys)
    {
        if (keys is not { } k)
        {
            return HostKeys.None;
        }

        if (k.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Keys doit être un objet.");
        }

        var master = Property(k, "Master") is { } m ? Scalar(m, "Keys.Master") : null;
        var hostKeys = StringMap(Property(k, "Host"), "Keys.Host");
        var functionKeys = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (Property(k, "Functions") is { } functions)
        {
            if (functions.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("Keys.Functions doit être un objet { \"<fonction>\": { \"<nom de clé>\": \"<valeur>\" } }.");
            }

            foreach (var function in functions.EnumerateObject())
            {
                functionKeys[function.Name] = StringMap(function.Value, $"Keys.Functions.{function.Name}");
            }
        }

        return new HostKeys(string.IsNullOrEmpty(master) ? null : master, hostKeys, functionKeys);
    }

    private static Dictionary<string, string> StringMap(JsonElement? element, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (element is not { } e || e.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{name} doit être un objet de paires nom/valeur.");
        }

        foreach (var property in e.EnumerateObject())
        {
            if (Scalar(property.Value, $"{name}.{property.Name}") is { } value)
            {
                map[property.Name] = value;
            }
        }

        return map;
    }

    private static string? Scalar(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => null,
        _ => throw new FormatException($"{name} doit être une chaîne, un nombre ou un booléen."),
    };

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    public static bool IsTrue(string? value) =>
        string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase) || value?.Trim() == "1";
}

/// <summary>Keys accepted by the host, as configured under <c>Keys</c> in local.settings.json.</summary>
internal sealed record HostKeys(
    string? Master,
    IReadOnlyDictionary<string, string> Host,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Functions)
{
    public static HostKeys None { get; } = new(null, new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, string>>());
}
