using System.Text;
using ResoSolidaire.Functions.Platform.Forms;
using ResoSolidaire.Functions.Rooms;
using static ResoSolidaire.Functions.Tests.Rooms.RoomsBackend;

namespace ResoSolidaire.Functions.Tests.Rooms;

public sealed class PhotoMetadataTests
{
    [Fact]
    public void AJpegFromAPhoneLosesItsExifAndCommentAndKeepsEveryByteOfThePicture()
    {
        var stripped = PhotoMetadata.Strip(JpegFromAPhone(), FileSniffer.Jpeg);

        Assert.Equal(CleanJpeg(), stripped);
        Assert.DoesNotContain(CameraData, Encoding.ASCII.GetString(stripped), StringComparison.Ordinal);
    }

    [Fact]
    public void APngLosesItsTextChunksAndKeepsThePicture()
    {
        Assert.Equal(CleanPng(), PhotoMetadata.Strip(PngWithText(), FileSniffer.Png));
    }

    [Fact]
    public void AFileThatCannotBeWalkedIsReturnedAsItCame()
    {
        byte[] truncated = [.. JpegFromAPhone()[..40]];

        Assert.Equal(truncated, PhotoMetadata.Strip(truncated, FileSniffer.Jpeg));
    }
}
