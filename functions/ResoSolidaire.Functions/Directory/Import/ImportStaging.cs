using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ResoSolidaire.Functions.Directory.Import;

/// <summary>Where an import of the wizard stands.</summary>
public static class WizardSteps
{
    /// <summary>Uploaded: its reading (encoding, separator, header line) is shown.</summary>
    public const string Reading = "lecture";

    /// <summary>The columns are named.</summary>
    public const string Columns = "colonnes";

    /// <summary>The dry run is done and shown: the import may start.</summary>
    public const string Checked = "verification";

    /// <summary>Writing.</summary>
    public const string Running = "import";

    public const string Done = "termine";

    /// <summary>Stopped before the end (storage failed, the app restarted): running it again finishes it.</summary>
    public const string Interrupted = "interrompu";
}

/// <summary>A decision on an unknown value, as the wizard keeps it.</summary>
public sealed record WizardDecision(string Vocabulary, string Value, string Action, string? TermCode);

/// <summary>The state of one import of the wizard: who started it, the choices made step by step, and its progress.</summary>
public sealed class WizardState
{
    public string Id { get; set; } = "";

    public string OwnerObjectId { get; set; } = "";

    public string OwnerName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string FileName { get; set; } = "";

    public int Size { get; set; }

    /// <summary>The separator chosen by staff; null: as detected.</summary>
    public string? Separator { get; set; }

    /// <summary>The line of the column names chosen by staff; null: as detected.</summary>
    public int? HeaderLine { get; set; }

    /// <summary>For each column of the file, the field it fills (a <see cref="Column"/> name) or "" to leave it; null until chosen.</summary>
    public List<string>? Columns { get; set; }

    /// <summary>The decisions on the values the vocabularies do not know; null until taken.</summary>
    public List<WizardDecision>? Decisions { get; set; }

    public string Step { get; set; } = WizardSteps.Reading;

    public ImportSummary? DryRun { get; set; }

    public int ToWrite { get; set; }

    public int Written { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>The last sign of life of a running import: one silent too long was stopped (the app restarted).</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Why it stopped, in French.</summary>
    public string? Problem { get; set; }

    public SheetLayout Layout => new(Separator is { Length: 1 } s ? s[0] : null, HeaderLine);
}

/// <summary>The wizard's state with the version it was read at.</summary>
public sealed record StagedImport(WizardState State, ETag Version);

/// <summary>
/// The wizard's files while an import is prepared, in the private container <see cref="ContainerName"/>, one folder
/// an import: the file as uploaded, the keyed hashes of its e-mail addresses (access and erasure find it by them),
/// the state, the dry run's report and the import's. Nothing here is the directory: it is written at the last step
/// only. Kept <see cref="RetentionOptions.DirectoryImports"/> from the upload.
/// </summary>
public sealed class ImportStaging(StorageProvisioning storage, TimeProvider time)
{
    public const string ContainerName = "annuaire-imports";

    public const string DryRunReport = "verification";

    public const string FinalReport = "rapport";

    private const string StateBlob = "etat.json";

    private const string FileBlob = "fichier.csv";

    private const string AddressesBlob = "adresses.txt";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>Keeps an uploaded file and starts its state; returns it.</summary>
    public async Task<StagedImport> CreateAsync(StaffMember by, string fileName, byte[] content, IEnumerable<string> emailHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(content);
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await container.GetBlobClient($"{id}/{FileBlob}").UploadAsync(BinaryData.FromBytes(content), cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient($"{id}/{AddressesBlob}").UploadAsync(BinaryData.FromString(string.Join('\n', emailHashes.Distinct(StringComparer.Ordinal))), cancellationToken).ConfigureAwait(false);
        var state = new WizardState
        {
            Id = id,
            OwnerObjectId = by.ObjectId,
            OwnerName = by.Name,
            CreatedAt = time.GetUtcNow(),
            FileName = fileName.Length <= 200 ? fileName : fileName[..200],
            Size = content.Length,
        };
        var response = await container.GetBlobClient($"{id}/{StateBlob}").UploadAsync(
            BinaryData.FromObjectAsJson(state, Json),
            new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
            cancellationToken).ConfigureAwait(false);
        return new StagedImport(state, response.Value.ETag);
    }

    /// <summary>An import's state, if it exists and is this person's (nobody else continues someone's import).</summary>
    public async Task<StagedImport?> GetAsync(string id, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        var staged = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return staged is not null && staged.State.OwnerObjectId == by.ObjectId ? staged : null;
    }

    public async Task<StagedImport?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsId(id))
        {
            return null;
        }

        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await container.GetBlobClient($"{id}/{StateBlob}").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var state = content.Value.Content.ToObjectFromJson<WizardState>(Json);
            return state is null ? null : new StagedImport(state, content.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Saves a state over the version read; false when it changed meanwhile (the same import continued in another tab).</summary>
    public async Task<StagedImport?> TrySaveAsync(WizardState state, ETag version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await container.GetBlobClient($"{state.Id}/{StateBlob}").UploadAsync(
                BinaryData.FromObjectAsJson(state, Json),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = version } },
                cancellationToken).ConfigureAwait(false);
            return new StagedImport(state, response.Value.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<byte[]> FileAsync(string id, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var content = await container.GetBlobClient($"{id}/{FileBlob}").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content.ToArray();
    }

    public async Task SaveReportAsync(string id, string kind, ImportReport report, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient($"{id}/{kind}.json").UploadAsync(BinaryData.FromObjectAsJson(report, Json), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImportReport?> ReportAsync(string id, string kind, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await container.GetBlobClient($"{id}/{kind}.json").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<ImportReport>(Json);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every import kept, with the keyed hashes of its addresses (access, erasure) and its upload time (purge).</summary>
    public async IAsyncEnumerable<(string Id, DateTimeOffset UploadedAt)> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name.EndsWith("/" + StateBlob, StringComparison.Ordinal))
            {
                yield return (blob.Name[..blob.Name.IndexOf('/', StringComparison.Ordinal)], blob.Properties.CreatedOn ?? DateTimeOffset.MinValue);
            }
        }
    }

    public async Task<IReadOnlySet<string>> EmailHashesAsync(string id, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await container.GetBlobClient($"{id}/{AddressesBlob}").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return new HashSet<string>();
        }
    }

    /// <summary>Deletes an import's files; returns how many.</summary>
    public async Task<int> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = id + "/" }, cancellationToken).ConfigureAwait(false))
        {
            if (await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => storage.ContainerAsync(ContainerName, cancellationToken);
}

/// <summary>
/// The wizard's files as personal data: a file holds the addresses of its rows until it is purged
/// (<see cref="RetentionOptions.DirectoryImports"/>). A person is found by the keyed hashes kept beside each file.
/// </summary>
public sealed class ImportStagingPersonalData(ImportStaging staging, IOptions<RetentionOptions> retention) : IPersonalDataStore
{
    public string Name => "imports de l'annuaire en cours";

    public async Task<IReadOnlyList<JsonObject>> FindAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var found = new List<JsonObject>();
        await foreach (var id in HoldingAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            if (await staging.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } staged)
            {
                found.Add(new JsonObject
                {
                    ["recordKind"] = "fichier d'import de l'annuaire",
                    ["fileName"] = staged.State.FileName,
                    ["uploadedAt"] = staged.State.CreatedAt,
                    ["uploadedBy"] = staged.State.OwnerName,
                    ["step"] = staged.State.Step,
                });
            }
        }

        return found;
    }

    public async Task<int> EraseAsync(PersonalDataSubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var erased = 0;
        await foreach (var id in HoldingAsync(subject, cancellationToken).ConfigureAwait(false))
        {
            erased += await staging.DeleteAsync(id, cancellationToken).ConfigureAwait(false) > 0 ? 1 : 0;
        }

        return erased;
    }

    public async Task<IReadOnlyList<PurgeCount>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - retention.Value.DirectoryImports;
        var old = new List<string>();
        await foreach (var (id, uploadedAt) in staging.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (uploadedAt < before)
            {
                old.Add(id);
            }
        }

        foreach (var id in old)
        {
            await staging.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return [new PurgeCount("fichiers d'import de l'annuaire", old.Count)];
    }

    private async IAsyncEnumerable<string> HoldingAsync(PersonalDataSubject subject, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var (id, _) in staging.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(id);
        }

        foreach (var id in ids)
        {
            if ((await staging.EmailHashesAsync(id, cancellationToken).ConfigureAwait(false)).Contains(subject.Hash))
            {
                yield return id;
            }
        }
    }
}
