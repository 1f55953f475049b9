using System.IO.Compression;
using System.Text;
using ResoSolidaire.Functions.Platform.Forms;

namespace ResoSolidaire.Functions.Tests.Forms;

public class FileSnifferTests
{
    [Fact]
    public void APdfIsRecognisedByItsContent() =>
        Assert.Equal(FileSniffer.Pdf, FileSniffer.Sniff(SampleFiles.Pdf()));

    [Fact]
    public void PngAndJpegImagesAreRecognisedByTheirSignatures()
    {
        Assert.Equal(FileSniffer.Png, FileSniffer.Sniff(SampleFiles.Png()));
        Assert.Equal(FileSniffer.Jpeg, FileSniffer.Sniff(SampleFiles.Jpeg()));
    }

    [Fact]
    public void OpenDocumentAndWordDocumentsAreRecognisedByTheirZipEntries()
    {
        Assert.Equal(FileSniffer.Odt, FileSniffer.Sniff(SampleFiles.Odt()));
        Assert.Equal(FileSniffer.Docx, FileSniffer.Sniff(SampleFiles.Docx()));
    }

    [Fact]
    public void AWindowsExecutableRenamedAsAPdfIsNotAccepted() =>
        Assert.Null(FileSniffer.Sniff(SampleFiles.Executable()));

    [Fact]
    public void AnyOtherZipOrTextIsNotAccepted()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("virus.js").Open());
            writer.Write("alert(1)");
        }

        Assert.Null(FileSniffer.Sniff(zip.ToArray()));
        Assert.Null(FileSniffer.Sniff(Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")));
        Assert.Null(FileSniffer.Sniff([0x7F, 0x45, 0x4C, 0x46, 0x02]));
        Assert.Null(FileSniffer.Sniff("PK\u0003\u0004 not really a zip"u8));
    }

    [Theory]
    [InlineData("../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("C:\\Users\\camille\\Mon projet.pdf", "Mon projet.pdf")]
    [InlineData("<script>x</script>.pdf", "script.pdf")]
    [InlineData("", "piece-jointe-2.pdf")]
    [InlineData("dossier.exe", "dossier.pdf")]
    public void FileNamesAreStrippedOfPathsAndOddCharactersAndGetTheRealExtension(string clientName, string expected) =>
        Assert.Equal(expected, FileSniffer.SafeFileName(clientName, FileSniffer.Pdf, 2));
}
