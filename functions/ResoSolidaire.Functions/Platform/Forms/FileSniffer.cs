using System.IO.Compression;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>A file type the forms accept, recognised by its content.</summary>
public sealed record SniffedType(string Code, string ContentType, string Extension, string Label);

/// <summary>
/// Recognises an attachment by its first bytes (and, for the zip-based office formats, by the entries
/// they must hold), never by its name or declared type: a renamed executable stays an executable.
/// </summary>
public static class FileSniffer
{
    public static readonly SniffedType Pdf = new("pdf", "application/pdf", ".pdf", "PDF");
    public static readonly SniffedType Png = new("png", "image/png", ".png", "image PNG");
    public static readonly SniffedType Jpeg = new("jpeg", "image/jpeg", ".jpg", "image JPEG");
    public static readonly SniffedType Odt = new("odt", "application/vnd.oasis.opendocument.text", ".odt", "document ODT");
    public static readonly SniffedType Docx = new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "document DOCX");

    public const string AcceptedLabel = "PDF, ODT, DOCX, PNG ou JPEG";

    private const string OdtMimeType = "application/vnd.oasis.opendocument.text";

    /// <summary>The accepted type of this content, or null when it is anything else.</summary>
    public static SniffedType? Sniff(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        return content.StartsWith("PK\u0003\u0004"u8) ? SniffZip(content.ToArray()) : null;
    }

    private static SniffedType? SniffZip(byte[] content)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            var mimetype = archive.GetEntry("mimetype");
            if (mimetype is not null && mimetype.Length < 200)
            {
                using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                return reader.ReadToEnd().Trim() == OdtMimeType && archive.GetEntry("content.xml") is not null ? Odt : null;
            }

            return archive.GetEntry("[Content_Types].xml") is not null && archive.GetEntry("word/document.xml") is not null ? Docx : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// A file name fit for a mail or a download: no path, no control or reserved characters, at most
    /// 100 characters, ending with the extension of what the file really is.
    /// </summary>
    public static string SafeFileName(string? clientName, SniffedType type, int index)
    {
        ArgumentNullException.ThrowIfNull(type);
        var name = Path.GetFileName((clientName ?? "").Replace('\\', '/'));
        var stem = Path.GetFileNameWithoutExtension(name);
        var builder = new StringBuilder(stem.Length);
        foreach (var c in stem.Normalize(NormalizationForm.FormC))
        {
            builder.Append(char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '(' or ')' or '\'' ? c : '_');
        }

        var clean = builder.ToString().Trim(' ', '.', '_');
        if (clean.Length == 0)
        {
            clean = $"piece-jointe-{index}";
        }

        return (clean.Length > 90 ? clean[..90] : clean) + type.Extension;
    }
}
