namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>The answer to an accepted submission: its reference and a sentence to show.</summary>
public sealed record SubmissionReceipt(string Reference, string Message);

/// <summary>What a form service decided: a receipt, or a rejection (nothing stored).</summary>
public sealed record FormResult(SubmissionReceipt? Receipt, FormRejection? Rejection)
{
    /// <summary>How the form was posted, when that could be told (it decides between JSON and HTML answers).</summary>
    public BodyKind? Kind { get; init; }

    /// <summary>The thank-you page the posting page asked for (used only when on an allowed origin).</summary>
    public string? Redirect { get; init; }

    public static FormResult Accepted(SubmissionReceipt receipt) => new(receipt, null);

    public static FormResult Rejected(FormRejection rejection) => new(null, rejection);
}
