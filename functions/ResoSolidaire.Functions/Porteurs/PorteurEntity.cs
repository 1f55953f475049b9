using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Porteurs;

/// <summary>A porteur de projet's intake in Table storage: the start of a case, with its consent record.</summary>
public sealed class PorteurEntity : ISubmissionEntity
{
    /// <summary>First phase of a case (accueil -> diagnostic -> orientation ...).</summary>
    public const string InitialPhase = "accueil";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string PartitionKey { get; set; } = SubmissionLedger.Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string Phase { get; set; } = InitialPhase;

    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    public string Email { get; set; } = "";

    /// <summary>EmailHasher.Hash of <see cref="Email"/>: how access and erasure find the person's records.</summary>
    public string EmailHash { get; set; } = "";

    public string Phone { get; set; } = "";

    public string CommuneInsee { get; set; } = "";

    public string CommuneName { get; set; } = "";

    public string? PostalCode { get; set; }

    public string? EpciCode { get; set; }

    /// <summary>False flags the case for staff: the porteur is to be pointed to a partner near them.</summary>
    public bool InPaysDeRennes { get; set; }

    public string ProjectTitle { get; set; } = "";

    public string ProjectDescription { get; set; } = "";

    public string Sector { get; set; } = "";

    /// <summary>The sector's label when the intake arrived (the directory's sectors may be renamed or retired since).</summary>
    public string? SectorLabel { get; set; }

    public string Stage { get; set; } = "";

    public string LegalStatus { get; set; } = "";

    /// <summary>Codes separated by commas.</summary>
    public string Needs { get; set; } = "";

    public string? HeardFrom { get; set; }

    /// <summary>JSON array of <see cref="AttachmentRecord"/>.</summary>
    public string Attachments { get; set; } = "[]";

    public int AttachmentCount { get; set; }

    public string ConsentForm { get; set; } = PorteurForm.Name;

    public string ConsentTextVersion { get; set; } = "";

    public DateTimeOffset ConsentAt { get; set; }

    public bool MailsQueued { get; set; }

    /// <summary>Set when staff opened the case (not the website's form): who, and from what (a contact message's reference).</summary>
    public string? OpenedBy { get; set; }

    public string? OpenedByObjectId { get; set; }

    public string? OpenedFrom { get; set; }

    public static PorteurEntity From(PorteurIntake intake, string emailHash, string reference, IReadOnlyList<AttachmentRecord> attachments, DateTimeOffset now, string consentTextVersion)
    {
        ArgumentNullException.ThrowIfNull(intake);
        return new PorteurEntity
        {
            RowKey = reference,
            Reference = reference,
            CreatedAt = now,
            FirstName = intake.FirstName,
            LastName = intake.LastName,
            Email = intake.Email,
            EmailHash = emailHash,
            Phone = intake.Phone,
            CommuneInsee = intake.Commune.InseeCode,
            CommuneName = intake.Commune.Name,
            PostalCode = intake.PostalCode,
            EpciCode = intake.Commune.EpciCode,
            InPaysDeRennes = intake.Commune.InPaysDeRennes,
            ProjectTitle = intake.ProjectTitle,
            ProjectDescription = intake.ProjectDescription,
            Sector = intake.Sector,
            SectorLabel = intake.SectorLabel,
            Stage = intake.Stage,
            LegalStatus = intake.LegalStatus,
            Needs = string.Join(',', intake.Needs),
            HeardFrom = intake.HeardFrom,
            Attachments = JsonSerializer.Serialize(attachments, Json),
            AttachmentCount = attachments.Count,
            ConsentForm = PorteurForm.Name,
            ConsentTextVersion = consentTextVersion,
            ConsentAt = now,
        };
    }

    public IReadOnlyList<AttachmentRecord> AttachmentRecords() =>
        JsonSerializer.Deserialize<List<AttachmentRecord>>(Attachments, Json) ?? [];

    public PorteurIntake ToIntake() => new(
        FirstName,
        LastName,
        Email,
        Phone,
        new Commune(CommuneInsee, CommuneName, PostalCode is null ? [] : [PostalCode], EpciCode, InPaysDeRennes),
        PostalCode,
        ProjectTitle,
        ProjectDescription,
        Sector,
        Stage,
        LegalStatus,
        Needs.Split(',', StringSplitOptions.RemoveEmptyEntries),
        HeardFrom,
        SectorText());

    /// <summary>The sector as the porteur chose it: the label stored with the intake, else (older intakes) today's label of its code.</summary>
    public string SectorText() => SectorLabel ?? Directory.Sectors.Terms.Label(Sector);
}
