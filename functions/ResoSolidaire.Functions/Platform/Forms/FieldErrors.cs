namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// Field errors in French, keyed by the field's name on the wire, in the order they were found: the <c>errors</c>
/// member of a validation problem, or, in a console form, what the error summary lists and each field shows.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    private readonly List<string> _order = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
            _order.Add(field);
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>The field's first message, or null.</summary>
    public string? Of(string field) => _errors.TryGetValue(field, out var list) ? list[0] : null;

    /// <summary>Each field in error with its first message, in the order found (a console form's error summary).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Summary => _order.Select(f => new KeyValuePair<string, string>(f, _errors[f][0])).ToList();

    public IDictionary<string, string[]> ToDictionary() =>
        _order.ToDictionary(f => f, f => _errors[f].ToArray(), StringComparer.Ordinal);

    /// <summary>The id of a field's message in a console page, for the field's <c>aria-describedby</c>.</summary>
    public static string IdFor(string field) => field + "-erreur";

    /// <summary>The <c>aria-describedby</c> of a console field: its help text (if any), and its message when it has one.</summary>
    public string? DescribedBy(string field, string? help = null)
    {
        var joined = string.Join(' ', new[] { help, Has(field) ? IdFor(field) : null }.Where(i => i is not null));
        return joined.Length == 0 ? null : joined;
    }
}
