using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// Who is posting, for rate limits only, turned into a keyed hash so that no address is stored.
/// </summary>
/// <remarks>
/// Every proxy appends the address of its own peer to X-Forwarded-For, so only the entries our own front
/// ends wrote, at the right end, can be trusted: whatever a caller sends stays to their left. The client is
/// the entry <see cref="FormsOptions.TrustedProxyHops"/> places from the right (1: the last one). A header
/// too short for that, or an entry there that is not an address, falls back to the connection's address.
/// </remarks>
public sealed class ClientIdentity(IOptions<FormsOptions> options)
{
    private const string Header = "X-Forwarded-For";
    private const int MaxEntryLength = 100;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.ClientHashKey);
    private readonly int _trustedHops = options.Value.TrustedProxyHops;

    public string Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Hash(ClientAddress(request.Headers[Header], request.HttpContext.Connection.RemoteIpAddress, _trustedHops));
    }

    /// <summary>
    /// The client's address as the front end <paramref name="trustedHops"/> hops away saw it: an IPv4
    /// address, or the /64 network of an IPv6 address (one subscriber line holds a whole /64, so a
    /// single address would be a budget anyone can renew).
    /// </summary>
    internal static string ClientAddress(StringValues forwardedFor, IPAddress? connection, int trustedHops)
    {
        // Several header lines are one list, in order (RFC 9110, 5.3).
        var entries = forwardedFor.SelectMany(line => (line ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
        if (entries.Count == 1 && entries[0].Length == 0)
        {
            entries.Clear();
        }

        if (trustedHops >= 1 && entries.Count >= trustedHops && Parse(entries[^trustedHops]) is { } forwarded)
        {
            return Canonical(forwarded);
        }

        return connection is null ? "unknown" : Canonical(connection);
    }

    /// <summary>An entry of X-Forwarded-For: "203.0.113.7", "203.0.113.7:5000", "2001:db8::1", "[2001:db8::1]:443".</summary>
    internal static IPAddress? Parse(string entry)
    {
        if (entry.Length is 0 or > MaxEntryLength)
        {
            return null;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            return address;
        }

        return IPEndPoint.TryParse(entry, out var endpoint) ? endpoint.Address : null;
    }

    private static string Canonical(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    internal string Hash(string address)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(address.ToUpperInvariant()));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }
}
