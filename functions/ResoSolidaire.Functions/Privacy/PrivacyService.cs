using ResoSolidaire.Functions.Platform.Audit;

namespace ResoSolidaire.Functions.Privacy;

/// <summary>Everything held about one address, section by feature, as stored (the API's answer, for scripts).</summary>
public sealed record PersonalDataReport(string Email, DateTimeOffset GeneratedAt, IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Sections);

/// <summary>Everything held about one address, readable by a person, feature by feature (the console's answer and its documents).</summary>
public sealed record ReadablePersonalData(string Email, DateTimeOffset GeneratedAt, IReadOnlyList<ReadableSection> Sections)
{
    public int Records => Sections.Sum(s => s.Section.Records.Count);
}

/// <summary>A store's section with the store's name (its stable key).</summary>
public sealed record ReadableSection(string Key, PersonalDataSection Section);

/// <summary>What an erasure touched, by feature.</summary>
public sealed record ErasureReport(DateTimeOffset ErasedAt, IReadOnlyDictionary<string, int> Erased, int Total);

/// <summary>
/// The rights of the people whose data we hold (RGPD articles 15 and 17) and the retention purge, through
/// every feature's <see cref="IPersonalDataStore"/>. Each request is written to the audit log with the hash
/// of the address only, under the name and object id of the person who made it; the logs carry counts, never the address.
/// </summary>
public sealed class PrivacyService(IEnumerable<IPersonalDataStore> stores, AuditLog audit, EmailHasher emailHasher, TimeProvider time, ILogger<PrivacyService> logger)
{
    private readonly IReadOnlyList<IPersonalDataStore> _stores = [.. stores.OrderBy(s => s.Order)];

    /// <summary>The order people read the sections in: a store's records before the stores that depend on them, then registration order.</summary>
    private readonly List<string> _reading = [.. stores.Select((s, i) => (s, i)).OrderBy(x => Math.Max(x.s.Order, PersonalDataOrder.Records)).ThenBy(x => x.i).Select(x => x.s.Name)];

    public IReadOnlyList<IPersonalDataStore> Stores => _stores;

    public string HashOf(EmailAddress email) => emailHasher.Hash(email);

    /// <summary>Every store's records as stored (the API's access answer); audited.</summary>
    public async Task<PersonalDataReport> AccessAsync(EmailAddress email, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(by);
        var subject = Subject(email);
        var sections = new Dictionary<string, IReadOnlyList<JsonObject>>(StringComparer.Ordinal);
        foreach (var store in _stores)
        {
            sections[store.Name] = await store.FindAsync(subject, cancellationToken).ConfigureAwait(false);
        }

        var rows = sections.Values.Sum(s => s.Count);
        await AuditAccessAsync(subject, by, "json", rows).ConfigureAwait(false);
        return new PersonalDataReport(email.Value, time.GetUtcNow(), sections);
    }

    /// <summary>
    /// Every store's records as a person reads them, with what erasure would do to each (the console's answer to
    /// a request and the preview of an erasure). Audited as an access in <paramref name="format"/> when given;
    /// an erasure's preview (null) is part of the erasure, which is audited itself.
    /// </summary>
    public async Task<ReadablePersonalData> DescribeAsync(EmailAddress email, StaffMember by, string? format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(by);
        var subject = Subject(email);
        var sections = new List<ReadableSection>();
        foreach (var store in _stores)
        {
            sections.Add(new ReadableSection(store.Name, await store.DescribeAsync(subject, cancellationToken).ConfigureAwait(false)));
        }

        var readable = new ReadablePersonalData(email.Value, time.GetUtcNow(), [.. sections.OrderBy(s => _reading.IndexOf(s.Key))]);
        if (format is not null)
        {
            await AuditAccessAsync(subject, by, format, readable.Records).ConfigureAwait(false);
        }

        return readable;
    }

    public async Task<ErasureReport> EraseAsync(EmailAddress email, StaffMember by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(by);
        var subject = Subject(email);
        var erased = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var store in _stores)
        {
            erased[store.Name] = await store.EraseAsync(subject, cancellationToken).ConfigureAwait(false);
        }

        var total = erased.Values.Sum();
        await audit.WriteAsync(new AuditRecord(by.Name, AuditActions.Erasure, null, null, new Dictionary<string, string>(), total, subject.Hash) { PrincipalObjectId = by.ObjectId }, CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Personal data erasure request: {Records} record(s) deleted or anonymised", total);
        return new ErasureReport(time.GetUtcNow(), erased, total);
    }

    /// <summary>One retention pass over every store; a store that fails is logged and the others still run.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<PurgeCount>>> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = new Dictionary<string, IReadOnlyList<PurgeCount>>(StringComparer.Ordinal);
        var failures = 0;
        foreach (var store in _stores)
        {
            try
            {
                var counts = await store.PurgeAsync(now, cancellationToken).ConfigureAwait(false);
                results[store.Name] = counts;
                foreach (var count in counts)
                {
                    logger.LogInformation("Retention purge: {Store} {What} {Count}", store.Name, count.What, count.Count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures++;
                logger.LogError(ex, "Retention purge of {Store} failed", store.Name);
            }
        }

        var total = results.Values.SelectMany(c => c).Sum(c => c.Count);
        var filters = results.SelectMany(r => r.Value.Select(c => ($"{r.Key}.{c.What}", c.Count)))
            .ToDictionary(x => x.Item1, x => x.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        await audit.WriteAsync(new AuditRecord("minuteur", AuditActions.Purge, null, null, filters, total, Completed: failures == 0), cancellationToken).ConfigureAwait(false);
        if (failures > 0)
        {
            throw new InvalidOperationException($"The retention purge failed for {failures} store(s); the others ran.");
        }

        return results;
    }

    private PersonalDataSubject Subject(EmailAddress email) => new(email, emailHasher.Hash(email));

    private async Task AuditAccessAsync(PersonalDataSubject subject, StaffMember by, string format, int rows)
    {
        await audit.WriteAsync(new AuditRecord(by.Name, AuditActions.Access, null, format, new Dictionary<string, string>(), rows, subject.Hash) { PrincipalObjectId = by.ObjectId }, CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Personal data access request answered with {Records} record(s) as {Format}", rows, format);
    }
}
