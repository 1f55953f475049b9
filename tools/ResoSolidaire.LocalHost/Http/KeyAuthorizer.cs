using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;
using ResoSolidaire.LocalHost.Configuration;

namespace ResoSolidaire.LocalHost.Http;

/// <summary>The key a request presented and what it grants, as the real host checks it.</summary>
internal sealed class KeyAuthorizer(HostKeys keys)
{
    public const string KeyHeader = "x-functions-key";
    public const string MasterKeyName = "master";

    public bool HasMasterKey => keys.Master is not null;

    /// <summary>True when the request presents the master key, whatever the function's level.</summary>
    public bool PresentsMasterKey(HttpContext context) =>
        PresentedKey(context.Request) is { } presented && keys.Master is { } master && FixedTimeEquals(presented, master);

    /// <summary>
    /// Who may call the admin API. As in the real host (an <c>[Authorize]</c> policy over
    /// <c>AuthenticationLevelHandler</c>): the master key passes, a valid key of a lower level is known
    /// but not allowed (403), no key or an unknown one is not authenticated (401). Function keys are not
    /// looked up outside their function, so they count as unknown here.
    /// </summary>
    public int AdminStatus(HttpContext context)
    {
        if (PresentsMasterKey(context))
        {
            return StatusCodes.Status200OK;
        }

        return Authorize(context, FunctionAuthLevel.Function, null) is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
    }

    /// <summary>The name of the presented key if it is accepted at <paramref name="level"/> for the function, else null.</summary>
    public string? Authorize(HttpContext context, FunctionAuthLevel level, string? functionName)
    {
        var presented = PresentedKey(context.Request);
        if (presented is null)
        {
            return null;
        }

        var master = keys.Master is { } m && FixedTimeEquals(presented, m);
        if (master)
        {
            return MasterKeyName;
        }

        if (level == FunctionAuthLevel.Admin)
        {
            return null;
        }

        // Every key is compared, so the time taken does not tell which one (if any) matched.
        string? matched = null;
        foreach (var (name, value) in keys.Host)
        {
            if (FixedTimeEquals(presented, value))
            {
                matched ??= name;
            }
        }

        if (functionName is not null && keys.Functions.TryGetValue(functionName, out var functionKeys))
        {
            foreach (var (name, value) in functionKeys)
            {
                if (FixedTimeEquals(presented, value))
                {
                    matched ??= name;
                }
            }
        }

        return matched;
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(KeyHeader, out var header) && !StringValues.IsNullOrEmpty(header))
        {
            return header.ToString();
        }

        return request.Query.TryGetValue("code", out var code) && !StringValues.IsNullOrEmpty(code) ? code.ToString() : null;
    }

    private static bool FixedTimeEquals(string presented, string expected)
    {
        // Hashing first makes both sides the same length, so not even the length leaks.
        Span<byte> left = stackalloc byte[32];
        Span<byte> right = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), left);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }
}
