namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>
/// Builds the HTML and text bodies of a form mail side by side. Every value is HTML-encoded in the
/// HTML part: whatever a person typed is shown, never interpreted.
/// </summary>
public sealed class FormMail
{
    private readonly StringBuilder _html = new();
    private readonly StringBuilder _text = new();
    private bool _inTable;

    public FormMail Paragraph(string text)
    {
        CloseTable();
        _html.Append("<p>").Append(Encode(text).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>\n");
        _text.Append(text).Append("\n\n");
        return this;
    }

    public FormMail Heading(string text)
    {
        CloseTable();
        _html.Append("<h2 style=\"font-size:16px\">").Append(Encode(text)).Append("</h2>\n");
        _text.Append(text.ToUpperInvariant()).Append("\n\n");
        return this;
    }

    public FormMail Field(string label, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }

        if (!_inTable)
        {
            _html.Append("<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n");
            _inTable = true;
        }

        _html.Append("<tr><th align=\"left\" valign=\"top\">").Append(Encode(label)).Append("</th><td>")
            .Append(Encode(value).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</td></tr>\n");
        _text.Append(label).Append(" : ").Append(value.Contains('\n', StringComparison.Ordinal) ? "\n" + value : value).Append('\n');
        return this;
    }

    /// <summary>A link shown as a button in the HTML part and as its address in the text part.</summary>
    public FormMail Link(string label, string url)
    {
        CloseTable();
        _html.Append("<p><a href=\"").Append(Encode(url)).Append("\" style=\"display:inline-block;background:#7a1f5c;color:#ffffff;padding:8px 14px;border-radius:4px;text-decoration:none\">")
            .Append(Encode(label)).Append("</a></p>\n");
        _text.Append(label).Append(" : ").Append(url).Append("\n\n");
        return this;
    }

    public FormMail List(IEnumerable<string> items)
    {
        CloseTable();
        _html.Append("<ul>\n");
        foreach (var item in items)
        {
            _html.Append("<li>").Append(Encode(item)).Append("</li>\n");
            _text.Append("- ").Append(item).Append('\n');
        }

        _html.Append("</ul>\n");
        _text.Append('\n');
        return this;
    }

    public (string Html, string Text) Build(string title)
    {
        CloseTable();
        var html = "<!doctype html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\"><title>" + Encode(title) + "</title></head>\n"
            + "<body style=\"font-family:Arial,sans-serif;font-size:14px;line-height:1.5;color:#1b1b1b\">\n" + _html + "</body>\n</html>\n";
        return (html, _text.ToString().TrimEnd() + "\n");
    }

    private void CloseTable()
    {
        if (_inTable)
        {
            _html.Append("</table>\n");
            _text.Append('\n');
            _inTable = false;
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
