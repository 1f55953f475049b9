namespace ResoSolidaire.Functions.Platform.Staff;

/// <summary>The ETag of a stored version, sent in the ETag header and expected back in If-Match.</summary>
public static class Preconditions
{
    public static void WriteETag(HttpResponse response, ETag etag)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (etag != default)
        {
            response.Headers.ETag = etag.ToString("H");
        }
    }

    /// <summary>The version in If-Match (a single one); null when the header is absent.</summary>
    public static ETag? IfMatch(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Headers.IfMatch.ToString().Trim();
        return value.Length == 0 ? null : value == "*" ? ETag.All : new ETag(value);
    }
}
