using System.Text.Json.Serialization;

namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>The answer to an accepted submission: its reference and a sentence to show (201).</summary>
public sealed record SubmissionReceipt(string Reference, string Message);

/// <summary>
/// The answer to a submission taken but waiting on someone (202): a subscription until its address is
/// confirmed, an agenda proposal until the team moderates it. <c>Id</c> only when the caller may use one.
/// </summary>
public sealed record PendingReceipt(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    string Message)
{
    /// <summary>Members a form adds to its answer for a script (a booking request's dates and clashes), written beside <c>id</c> and <c>message</c>.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Members { get; init; }
}

/// <summary>What a form service decided: a receipt (or a pending receipt), or a rejection (nothing stored).</summary>
public sealed record FormResult(SubmissionReceipt? Receipt, FormRejection? Rejection)
{
    /// <summary>Taken, waiting on a confirmation or a moderation (answered 202 to a script).</summary>
    public PendingReceipt? Pending { get; init; }

    /// <summary>How the form was posted, when that could be told (it decides between JSON and HTML answers).</summary>
    public BodyKind? Kind { get; init; }

    /// <summary>The thank-you page the posting page asked for (used only when on an allowed origin).</summary>
    public string? Redirect { get; init; }

    public static FormResult Accepted(SubmissionReceipt receipt) => new(receipt, null);

    public static FormResult Waiting(PendingReceipt receipt) => new(null, null) { Pending = receipt };

    public static FormResult Rejected(FormRejection rejection) => new(null, rejection);
}
