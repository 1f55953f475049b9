namespace ResoSolidaire.Functions.Platform.Audit;

/// <summary>
/// The audit log's share: it shows the requests made about an address (recorded by hash), keeps them on
/// erasure (they prove the request was honoured and hold no address), and is purged after its own duration.
/// </summary>
public sealed class AuditPersonalData(AuditLog audit, IOptions<RetentionOptions> retention) : IPersonalDataStore
{
    public string Name => "audit";

    public int Order => PersonalDataOrder.Trail;

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var entries = await audit.AboutAsync(subject.Hash, cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => PersonalRecords.Of("demande", new { e.At, e.Action, e.Principal, e.Rows }))];
    }

    public async Task<PersonalDataSection> DescribeAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var entries = await audit.AboutAsync(subject.Hash, cancellationToken).ConfigureAwait(false);
        return new PersonalDataSection(
            "Journal des demandes",
            "Prouver que les demandes d'accès et d'effacement ont été traitées, et par qui.",
            [.. entries.OrderBy(e => e.At).Select(e => new PersonalRecord(
                $"{(e.Action == AuditActions.Erasure ? "Effacement" : "Demande d'accès")} du {PersonalRecords.DateTime(e.At)}",
                PersonalRecords.Fields(("Par", e.Principal), ("Réponse", Answer(e.Format)), ("Enregistrements concernés", e.Rows.ToString("N0", CultureInfo.GetCultureInfo("fr-FR")))),
                ErasureEffect.Kept,
                Why))],
            ["L'effacement lui-même est inscrit au journal d'audit (qui, quand, combien d'enregistrements, l'empreinte chiffrée de l'adresse) : c'est la preuve que la demande a été faite."]);
    }

    private static string? Answer(string? format) => format switch
    {
        "console" => "consultées dans l'outil de l'équipe",
        "document" => "document lisible",
        "json" => "fichier JSON",
        _ => null,
    };

    /// <summary>Why the entries stay after an erasure.</summary>
    public const string Why = "Le journal prouve que la demande a été traitée (RGPD, article 5.2) ; il ne contient que l'empreinte chiffrée de l'adresse, jamais l'adresse. Il est effacé au bout de sa durée de conservation.";

    public Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken) => Task.FromResult(0);

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [new PurgeCount("entrées", await audit.PurgeAsync(now - retention.Value.AuditLog, cancellationToken).ConfigureAwait(false))];
}
