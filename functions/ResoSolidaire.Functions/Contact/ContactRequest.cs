namespace ResoSolidaire.Functions.Contact;

/// <summary>A contact message as the website posts it (JSON or form fields of the same names).</summary>
public sealed record ContactRequest
{
    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Organisation { get; init; }

    public string? Phone { get; init; }

    public string? Topic { get; init; }

    public string? Message { get; init; }

    public bool Consent { get; init; }

    public bool Newsletter { get; init; }

    /// <summary>The honeypot: hidden from people, left empty by them.</summary>
    public string? Website { get; init; }
}
