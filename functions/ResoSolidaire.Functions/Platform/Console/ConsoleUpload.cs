using System.Diagnostics.CodeAnalysis;

namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>A file sent with a console form (<c>multipart/form-data</c>): its sender, name and bytes; or the answer that refuses it.</summary>
public sealed record ConsoleUpload(StaffMember? Member, string? FileName, byte[]? Content, bool TooLarge, ConsoleResult? Refusal)
{
    [MemberNotNullWhen(true, nameof(Member))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsAccepted => Member is not null;

    /// <summary>
    /// The door of a console form that sends a file: the signed-in person with the role, then the form with this
    /// person's token (<see cref="ConsoleForms"/>), then the file named <paramref name="field"/>, at most
    /// <paramref name="maxBytes"/> (<see cref="TooLarge"/> otherwise, the file left unread; no file: empty content).
    /// </summary>
    public static async Task<ConsoleUpload> ReceiveAsync(ConsoleForms forms, HttpRequest request, StaffRole role, string page, string field, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(forms);
        ArgumentNullException.ThrowIfNull(request);
        var gate = ConsoleGate.Enter(request, role);
        if (!gate.IsOpen)
        {
            return new ConsoleUpload(null, null, null, false, gate.Refusal);
        }

        if (!request.HasFormContentType || !(request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new ConsoleUpload(null, null, null, false, ConsoleForm.Expired(gate.Member, page));
        }

        // A form's fields and boundaries take a few kilobytes beyond the file. Too large, it is not read: nothing is
        // changed by that answer, so it needs no token.
        if (request.ContentLength > maxBytes + (64 * 1024))
        {
            return new ConsoleUpload(gate.Member, null, null, true, null);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return new ConsoleUpload(null, null, null, false, ConsoleForm.Expired(gate.Member, page));
        }

        if (!forms.Accepts(request, gate.Member, form[ConsoleForms.FieldName].ToString()))
        {
            return new ConsoleUpload(null, null, null, false, ConsoleForm.Expired(gate.Member, page));
        }

        var file = form.Files.GetFile(field);
        if (file is null || file.Length == 0)
        {
            return new ConsoleUpload(gate.Member, file?.FileName, [], false, null);
        }

        if (file.Length > maxBytes)
        {
            return new ConsoleUpload(gate.Member, file.FileName, null, true, null);
        }

        using var copy = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream())
        {
            await stream.CopyToAsync(copy, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }

        return new ConsoleUpload(gate.Member, Path.GetFileName(file.FileName), copy.ToArray(), false, null);
    }
}
