using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ResoSolidaire.Functions.Platform.Text;

/// <summary>Text put into HTML (pages, mails): the framework's encoder, letting French letters through as they are.</summary>
public static class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string? text) => string.IsNullOrEmpty(text) ? "" : Encoder.Encode(text);
}
