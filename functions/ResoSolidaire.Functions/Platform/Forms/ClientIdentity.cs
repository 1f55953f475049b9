using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// Who is posting, for rate limits only: the first address of X-Forwarded-For (the client as the front
/// door saw it) or the connection's address, turned into a keyed hash so that no address is stored.
/// </summary>
public sealed class ClientIdentity(IOptions<FormsOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.ClientHashKey);

    public string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Hash(ClientAddress(request));
    }

    internal static string ClientAddress(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        var first = forwarded.Split(',', 2, StringSplitOptions.TrimEntries)[0];
        if (first.Length > 0)
        {
            // "[2001:db8::1]:443" and "203.0.113.7:5000" both name an address with a port.
            if (IPEndPoint.TryParse(first, out var endpoint))
            {
                return endpoint.Address.ToString();
            }

            return first.Length <= 100 ? first : first[..100];
        }

        return request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    internal string Hash(string address)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(address.ToUpperInvariant()));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }
}
