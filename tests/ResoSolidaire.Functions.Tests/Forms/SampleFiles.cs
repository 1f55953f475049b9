using System.IO.Compression;
using System.Text;

namespace ResoSolidaire.Functions.Tests.Forms;

/// <summary>Small files of each type the forms accept, and one they must not.</summary>
internal static class SampleFiles
{
    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];

    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00];

    /// <summary>"MZ" and a DOS stub, as any Windows program starts.</summary>
    public static byte[] Executable() => [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, .. Encoding.ASCII.GetBytes("This program cannot be run in DOS mode.")];

    public static byte[] Odt() => Zip(
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", "<office:document-content/>"),
        ("META-INF/manifest.xml", "<manifest:manifest/>"));

    public static byte[] Docx() => Zip(
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", "<w:document/>"));

    /// <summary>A PDF of the given size, to try the caps.</summary>
    public static byte[] PdfOfSize(int bytes)
    {
        var content = new byte[bytes];
        Pdf().CopyTo(content, 0);
        return content;
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, name == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        }

        return stream.ToArray();
    }
}
