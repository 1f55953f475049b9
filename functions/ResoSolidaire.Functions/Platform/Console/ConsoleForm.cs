namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>A console form as posted by a browser (<c>application/x-www-form-urlencoded</c>, at most 64 KB).</summary>
public sealed class ConsoleForm
{
    private const long MaxLength = 64 * 1024;

    private readonly IFormCollection _fields;

    private ConsoleForm(IFormCollection fields) => _fields = fields;

    /// <summary>A field's text, trimmed; null when absent or blank.</summary>
    public string? Value(string name) => _fields[name].ToString().Trim() is { Length: > 0 } value ? value : null;

    /// <summary>Every value of a field posted several times (ticked boxes), trimmed, blanks left out.</summary>
    public IReadOnlyList<string> Values(string name) =>
        _fields[name].Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).ToList();

    /// <summary>A ticked box (its value is « oui »).</summary>
    public bool Checked(string name) => string.Equals(Value(name), "oui", StringComparison.Ordinal);

    /// <summary>A field as typed, line breaks kept (a text area), or null when absent.</summary>
    public string? Text(string name) => _fields.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The posted form, or null when the request is not one (another type, too long, unreadable).</summary>
    public static async Task<ConsoleForm?> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType || request.ContentLength is null or > MaxLength
            || !(request.ContentType ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return new ConsoleForm(await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false));
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// The answer to a form without a valid token: sent from another site, or a page left open past the token's
    /// lifetime. Nothing was changed; the person reloads the page and starts again.
    /// </summary>
    public static RazorComponentResult Expired(StaffMember member, string page) =>
        ConsoleGate.Page<ConsoleRefusedPage>(
            new
            {
                Member = member,
                Title = "Ce formulaire n'a pas été pris en compte",
                Detail = "Rien n'a été modifié : la page était ouverte depuis trop longtemps, ou le formulaire ne venait pas de l'outil de l'équipe. Rouvrez la page et recommencez.",
                Back = page,
            },
            StatusCodes.Status400BadRequest);
}
