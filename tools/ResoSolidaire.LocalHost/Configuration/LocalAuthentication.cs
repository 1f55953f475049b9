using System.Text.Json;
using ResoSolidaire.LocalHost.Authentication;

namespace ResoSolidaire.LocalHost.Configuration;

/// <summary>
/// Someone the emulated App Service Authentication can sign in: a person (with an e-mail, who signs in
/// on the development page) or an application (no e-mail, it calls with <c>Authorization: Bearer</c>).
/// </summary>
internal sealed record LocalUser(string Name, string ObjectId, string? Email, IReadOnlyList<string> Roles, string? Token)
{
    public bool IsApplication => Email is null;
}

/// <summary>The <c>LocalAuthentication</c> section of local.settings.json.</summary>
internal sealed record LocalAuthentication(IReadOnlyList<LocalUser> Users)
{
    private static readonly string[] _userProperties = ["Name", "ObjectId", "Email", "Roles", "Token"];

    public static LocalAuthentication None { get; } = new([]);

    /// <summary>Reads and checks the section; a problem is a <see cref="FormatException"/> naming the entry and the fix.</summary>
    public static LocalAuthentication Parse(JsonElement? section)
    {
        if (section is not { } s || s.ValueKind == JsonValueKind.Null)
        {
            return None;
        }

        if (s.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("LocalAuthentication doit être un objet { \"Users\": [ ... ] }.");
        }

        var users = new List<LocalUser>();
        foreach (var property in s.EnumerateObject())
        {
            if (!string.Equals(property.Name, "Users", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"LocalAuthentication : propriété inconnue « {property.Name} » (attendue : Users).");
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("LocalAuthentication.Users doit être une liste d'utilisateurs [ { \"Name\": ..., \"ObjectId\": ... } ].");
            }

            var index = 0;
            foreach (var entry in property.Value.EnumerateArray())
            {
                users.Add(ParseUser(entry, $"LocalAuthentication.Users[{index}]"));
                index++;
            }
        }

        CheckUnique(users, u => u.ObjectId, "ObjectId", StringComparer.OrdinalIgnoreCase);
        CheckUnique(users, u => u.Email, "Email", StringComparer.OrdinalIgnoreCase);
        CheckUnique(users, u => u.Token, "Token", StringComparer.Ordinal);
        return new LocalAuthentication(users);
    }

    private static LocalUser ParseUser(JsonElement entry, string path)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path} doit être un objet {{ \"Name\", \"ObjectId\", \"Email\", \"Roles\", \"Token\" }}.");
        }

        string? name = null, objectId = null, email = null, token = null;
        var roles = new List<string>();
        foreach (var property in entry.EnumerateObject())
        {
            var field = _userProperties.FirstOrDefault(p => string.Equals(p, property.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"{path} : propriété inconnue « {property.Name} » (attendues : {string.Join(", ", _userProperties)}).");
            switch (field)
            {
                case "Name":
                    name = Text(property.Value, $"{path}.Name");
                    break;
                case "ObjectId":
                    objectId = Text(property.Value, $"{path}.ObjectId");
                    break;
                case "Email":
                    email = Text(property.Value, $"{path}.Email");
                    break;
                case "Token":
                    token = Text(property.Value, $"{path}.Token");
                    break;
                default:
                    roles = Roles(property.Value, $"{path}.Roles");
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new FormatException($"{path}.Name est obligatoire : le nom affiché (« Camille Martin », « Script d'import »).");
        }

        if (objectId is null || !Guid.TryParseExact(objectId, "D", out var oid))
        {
            throw new FormatException($"{path}.ObjectId doit être un GUID (l'identifiant d'objet Entra ID, par exemple « 6f1c2a3b-0d4e-4f5a-9b6c-7d8e9f0a1b2c »){(objectId is null ? "." : $", pas « {objectId} ».")}");
        }

        if (email is not null && !LocalIdentity.IsEmail(email))
        {
            throw new FormatException($"{path}.Email « {email} » n'est pas une adresse électronique (ASCII, une seule @, sans espace). Omettez Email pour une application.");
        }

        if (email is null && !LocalIdentity.IsHeaderSafe(name))
        {
            // An application's name travels in X-MS-CLIENT-PRINCIPAL-NAME, and HTTP headers are ASCII.
            throw new FormatException($"{path}.Name « {name} » : le nom d'une application (sans Email) doit être en ASCII, car il part dans l'en-tête X-MS-CLIENT-PRINCIPAL-NAME.");
        }

        if (token is not null && (token.Length < 16 || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw new FormatException($"{path}.Token doit faire au moins 16 caractères, sans espace (c'est le jeton présenté dans Authorization: Bearer).");
        }

        return new LocalUser(name.Trim(), oid.ToString("D"), email, roles, token);
    }

    private static string? Text(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
        JsonValueKind.Null => null,
        _ => throw new FormatException($"{path} doit être une chaîne."),
    };

    private static List<string> Roles(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path} doit être une liste de rôles, par exemple [\"Equipe\", \"Administration\"].");
        }

        var roles = new List<string>();
        foreach (var role in value.EnumerateArray())
        {
            if (role.ValueKind != JsonValueKind.String || role.GetString() is not { } text || !LocalIdentity.IsRole(text))
            {
                throw new FormatException($"{path} : chaque rôle est un nom non vide, sans espace ni virgule (« Equipe », « Administration »).");
            }

            if (!roles.Contains(text, StringComparer.Ordinal))
            {
                roles.Add(text);
            }
        }

        return roles;
    }

    private static void CheckUnique(List<LocalUser> users, Func<LocalUser, string?> key, string name, StringComparer comparer)
    {
        for (var i = 0; i < users.Count; i++)
        {
            for (var j = i + 1; j < users.Count; j++)
            {
                if (key(users[i]) is { } left && key(users[j]) is { } right && comparer.Equals(left, right))
                {
                    // The value itself is not repeated: a Token is a secret.
                    throw new FormatException($"LocalAuthentication.Users[{i}] et LocalAuthentication.Users[{j}] ont le même {name} : chaque utilisateur a le sien.");
                }
            }
        }
    }
}
