using ResoSolidaire.Functions.Directory.Vocabularies;
using ResoSolidaire.Functions.Territory;

namespace ResoSolidaire.Functions.Porteurs.FollowUp;

/// <summary>The outcome of opening a case: its reference, or the French errors of each field.</summary>
public sealed record CaseOpened(string? Reference, FieldErrors Errors)
{
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Reference))]
    public bool IsOpened => Reference is not null;
}

/// <summary>
/// A case opened by staff from what a person told them (a contact message, a phone call): the intake goes through
/// the same checks as the website's form and is kept beside the form's intakes, so the case is like any other.
/// The person's agreement is recorded by the staff member who asked them (consent form « equipe »); no
/// acknowledgement mail leaves, since staff are already in touch with them.
/// </summary>
public sealed class CaseOpening(
    ReferenceCounter references,
    SubmissionLedger ledger,
    CommuneDirectory communes,
    VocabularyStore vocabularies,
    EmailHasher hasher,
    TimeProvider time,
    ILogger<CaseOpening> logger)
{
    /// <summary>How the intake's consent record names a case opened by staff.</summary>
    public const string ConsentForm = "equipe";

    /// <summary>The version of the sentence staff tick (<see cref="ConsentText"/>): change both together.</summary>
    public const string ConsentTextVersion = "equipe-2026-12";

    public const string ConsentText = "La personne est d'accord pour que Réso Solidaire garde ces informations afin d'étudier son projet et de la recontacter.";

    /// <summary>The sectors a case may have: the directory's, code to label, as the website's form offers them.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SectorsAsync(CancellationToken cancellationToken) =>
        (await vocabularies.TermsAsync(VocabularyName.Sectors, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Code, t => t.Label, StringComparer.Ordinal);

    public async Task<CaseOpened> OpenAsync(PorteurRequest request, string? openedFrom, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        if (!request.Consent)
        {
            errors.Add("consent", "Cochez cette case quand la personne est d'accord : sans son accord, le dossier ne peut pas être ouvert.");
        }

        var intake = PorteurIntake.Validate(request, communes, await SectorsAsync(cancellationToken).ConfigureAwait(false), errors, phoneRequired: false);
        if (intake is null)
        {
            return new CaseOpened(null, errors);
        }

        var reference = await references.NextAsync(PorteurForm.ReferencePrefix, cancellationToken).ConfigureAwait(false);
        var entity = PorteurEntity.From(intake, hasher.Hash(EmailAddress.Parse(intake.Email)), reference, [], time.GetUtcNow(), ConsentTextVersion);
        entity.ConsentForm = ConsentForm;
        entity.MailsQueued = true;
        entity.OpenedBy = by.Name;
        entity.OpenedByObjectId = by.ObjectId;
        entity.OpenedFrom = openedFrom;

        // Staff may open two cases for one person on purpose: the fingerprint is the new reference's, never a duplicate.
        await ledger.StoreAsync(PorteurForm.TableName, entity, ledger.Fingerprint(ConsentForm, [reference]), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Case {Reference} opened by staff", reference);
        return new CaseOpened(reference, errors);
    }
}
