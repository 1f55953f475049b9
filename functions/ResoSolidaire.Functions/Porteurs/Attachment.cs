using System.Security.Cryptography;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>A checked attachment: its type as recognised from its content and a name safe to show.</summary>
public sealed record Attachment(int Index, string SafeName, SniffedType Type, byte[] Content)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));

    /// <summary>The blob name is ours alone: the reference and a number, never the client's file name.</summary>
    public string BlobName(string reference) => $"{reference}/{Index}{Type.Extension}";

    /// <summary>Recognises every file by content; a file of any other type refuses the whole post (415).</summary>
    public static (IReadOnlyList<Attachment> Attachments, FormRejection? Rejection) Check(IReadOnlyList<UploadedFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var attachments = new List<Attachment>();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var type = FileSniffer.Sniff(file.Content);
            if (type is null)
            {
                return ([], FormRejection.UnsupportedFile(
                    PorteurForm.AttachmentsField,
                    $"Le fichier {FormBodyReader.FileLabel(file.FileName, i + 1)} n'est pas un fichier {FileSniffer.AcceptedLabel} (son contenu a été vérifié, pas seulement son nom)."));
            }

            attachments.Add(new Attachment(i + 1, FileSniffer.SafeFileName(file.FileName, type, i + 1), type, file.Content));
        }

        return (attachments, null);
    }
}

/// <summary>How an attachment is recorded with its submission (JSON in the table row).</summary>
public sealed record AttachmentRecord(string Name, string Blob, string ContentType, long Size, string Sha256);
