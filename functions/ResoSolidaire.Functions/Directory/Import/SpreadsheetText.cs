namespace ResoSolidaire.Functions.Directory.Import;

/// <summary>The text of a spreadsheet file and the encoding it was read with; or why it cannot be read.</summary>
public sealed record SpreadsheetText(string? Text, string Encoding, FileRefusal? Refusal);

/// <summary>Why a whole file is refused, and where (1-based line, 0 when it is the file as a whole).</summary>
public sealed record FileRefusal(int Line, string Reason);

/// <summary>
/// Reads the bytes of a staff spreadsheet exported from Excel or LibreOffice: UTF-8 with or without BOM,
/// UTF-16 with BOM ("texte Unicode"), otherwise Windows-1252 (Excel's "CSV (séparateur : point-virgule)"
/// on a French Windows). Bytes that are not valid UTF-8 mean Windows-1252; a decoded text holding control
/// characters means neither, and the file is refused with the line of the first one.
/// </summary>
public static class SpreadsheetDecoder
{
    public const string Utf8 = "UTF-8";
    public const string Utf16 = "UTF-16";
    public const string Windows1252 = "Windows-1252";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly Lazy<Encoding> Cp1252 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    public static SpreadsheetText Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return Refused(0, "Le fichier est vide.");
        }

        if (bytes.StartsWith("PK\u0003\u0004"u8) || bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            return Refused(0, "Ce fichier est un classeur Excel ou LibreOffice, pas un fichier CSV : enregistrez-le au format « CSV (séparateur : point-virgule) » puis importez ce fichier.");
        }

        string text;
        string encoding;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            encoding = Utf8;
            try
            {
                text = StrictUtf8.GetString(bytes[3..]);
            }
            catch (DecoderFallbackException ex)
            {
                return Refused(LineAtByte(bytes, 3 + Math.Max(0, ex.Index)), "Le fichier annonce l'encodage UTF-8 mais contient des octets invalides : enregistrez-le à nouveau en « CSV UTF-8 ».");
            }
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            encoding = Utf16;
            text = (bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode).GetString(bytes[2..]);
        }
        else
        {
            try
            {
                text = StrictUtf8.GetString(bytes);
                encoding = Utf8;
            }
            catch (DecoderFallbackException)
            {
                text = Cp1252.Value.GetString(bytes);
                encoding = Windows1252;
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c < ' ' && c is not '\t' and not '\r' and not '\n') || c is >= '\u007F' and <= '\u009F' || c == '\uFFFD')
            {
                return Refused(LineAt(text, i), "Le fichier contient des caractères illisibles : son encodage n'est ni UTF-8 ni Windows-1252. Enregistrez-le à nouveau au format CSV depuis votre tableur.");
            }
        }

        return new SpreadsheetText(text, encoding, null);
    }

    private static SpreadsheetText Refused(int line, string reason) => new(null, "", new FileRefusal(line, reason));

    private static int LineAt(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static int LineAtByte(ReadOnlySpan<byte> bytes, int index) => bytes[..Math.Min(index, bytes.Length)].Count((byte)'\n') + 1;
}
