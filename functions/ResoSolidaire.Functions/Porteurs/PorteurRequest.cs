namespace ResoSolidaire.Functions.Porteurs;

/// <summary>A porteur de projet's intake as the website posts it (JSON, or form fields of the same names plus files).</summary>
public sealed record PorteurRequest
{
    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    /// <summary>The commune's name (with <see cref="PostalCode"/>) or its INSEE code.</summary>
    public string? Commune { get; init; }

    public string? PostalCode { get; init; }

    public string? ProjectTitle { get; init; }

    public string? ProjectDescription { get; init; }

    public string? Sector { get; init; }

    public string? Stage { get; init; }

    public string? LegalStatus { get; init; }

    public IReadOnlyList<string>? Needs { get; init; }

    public string? HeardFrom { get; init; }

    public bool Consent { get; init; }

    /// <summary>The honeypot: hidden from people, left empty by them.</summary>
    public string? Website { get; init; }
}
