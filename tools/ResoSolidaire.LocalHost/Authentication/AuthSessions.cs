using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ResoSolidaire.LocalHost.Authentication;

/// <summary>
/// Sign-in sessions, kept in the host's memory only: the cookie carries an opaque random id, never
/// the identity. A restart of the host signs everyone out.
/// </summary>
internal sealed class AuthSessions(TimeProvider time)
{
    /// <summary>Easy Auth's default session lifetime (<c>login.cookieExpiration.timeToExpiration</c>, 08:00:00).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public string Open(LocalIdentity identity)
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (session.ExpiresAt <= now)
            {
                _sessions.TryRemove(id, out _);
            }
        }

        var sessionId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _sessions[sessionId] = new Session(identity, now + Lifetime);
        return sessionId;
    }

    public LocalIdentity? Find(string? sessionId)
    {
        if (string.IsNullOrEmpty(sessionId) || !_sessions.TryGetValue(sessionId, out var session))
        {
            return null;
        }

        if (session.ExpiresAt <= time.GetUtcNow())
        {
            _sessions.TryRemove(sessionId, out _);
            return null;
        }

        return session.Identity;
    }

    public void Close(string? sessionId)
    {
        if (!string.IsNullOrEmpty(sessionId))
        {
            _sessions.TryRemove(sessionId, out _);
        }
    }

    private sealed record Session(LocalIdentity Identity, DateTimeOffset ExpiresAt);
}
