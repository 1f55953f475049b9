using System.Buffers.Binary;

namespace ResoSolidaire.Functions.Rooms;

/// <summary>
/// Removes what a camera or an editor writes beside the picture (EXIF with its GPS position, the owner's name and the
/// device's serial number, XMP, IPTC, comments, text chunks), keeping only what drawing it needs: a room's photos are
/// public, the person who took them is not. JPEG keeps its JFIF (APP0), colour profile (APP2) and Adobe (APP14)
/// segments; PNG drops its text, EXIF and time chunks. A file that cannot be walked is returned as it came (the
/// sniffer already vouched for its type; a browser draws what it can).
/// </summary>
public static class PhotoMetadata
{
    private static readonly HashSet<string> PngDropped = new(StringComparer.Ordinal) { "tEXt", "zTXt", "iTXt", "eXIf", "tIME" };

    public static byte[] Strip(byte[] content, SniffedType type)
    {
        ArgumentNullException.ThrowIfNull(content);
        return type == FileSniffer.Jpeg ? StripJpeg(content) ?? content
            : type == FileSniffer.Png ? StripPng(content) ?? content
            : content;
    }

    private static byte[]? StripJpeg(byte[] content)
    {
        using var output = new MemoryStream(content.Length);
        output.Write(content, 0, 2);
        var position = 2;
        while (position + 4 <= content.Length)
        {
            if (content[position] != 0xFF)
            {
                return null;
            }

            var marker = content[position + 1];
            if (marker == 0xFF)
            {
                position++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(position + 2, 2));
            if (length < 2 || position + 2 + length > content.Length)
            {
                return null;
            }

            // Start of scan: the compressed picture and everything after it is kept as it is.
            if (marker == 0xDA)
            {
                output.Write(content, position, content.Length - position);
                return output.ToArray();
            }

            var metadata = marker is (>= 0xE1 and <= 0xEF) and not 0xE2 and not 0xEE || marker == 0xFE;
            if (!metadata)
            {
                output.Write(content, position, 2 + length);
            }

            position += 2 + length;
        }

        return null;
    }

    private static byte[]? StripPng(byte[] content)
    {
        using var output = new MemoryStream(content.Length);
        output.Write(content, 0, 8);
        var position = 8;
        while (position + 12 <= content.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(position, 4));
            if (length > int.MaxValue - 12 || position + 12 + (long)length > content.Length)
            {
                return null;
            }

            var chunk = Encoding.ASCII.GetString(content, position + 4, 4);
            var size = 12 + (int)length;
            if (!PngDropped.Contains(chunk))
            {
                output.Write(content, position, size);
            }

            position += size;
            if (chunk == "IEND")
            {
                return output.ToArray();
            }
        }

        return null;
    }
}
