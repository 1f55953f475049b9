using Azure.Storage.Blobs;

namespace ResoSolidaire.Functions.Platform.Health;

public sealed record HealthReport(string Status, string Tables, string Blobs, string Mail)
{
    internal bool StorageReachable => Tables == HealthProbe.Ok && Blobs == HealthProbe.Ok;
}

/// <summary>
/// Storage is required: without it nothing can be accepted. Mail is not: the outbox keeps mails
/// until SendGrid answers, so an unreachable mail API only degrades the report.
/// </summary>
public sealed class HealthProbe(TableServiceClient tables, BlobServiceClient blobs, SendGridGateway mail)
{
    internal const string Ok = "ok";
    internal const string Unreachable = "injoignable";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var tablesTask = ProbeAsync(ct => tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages().GetAsyncEnumerator(ct).MoveNextAsync().AsTask(), timeout.Token);
        var blobsTask = ProbeAsync(ct => blobs.GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).GetAsyncEnumerator(ct).MoveNextAsync().AsTask(), timeout.Token);
        var mailTask = mail.IsReachableAsync(timeout.Token);
        await Task.WhenAll(tablesTask, blobsTask, mailTask).ConfigureAwait(false);

        var tableState = await tablesTask.ConfigureAwait(false) ? Ok : Unreachable;
        var blobState = await blobsTask.ConfigureAwait(false) ? Ok : Unreachable;
        var mailState = await mailTask.ConfigureAwait(false) ? Ok : Unreachable;
        var status = tableState == Ok && blobState == Ok ? mailState == Ok ? "ok" : "dégradé" : "indisponible";
        return new HealthReport(status, tableState, blobState, mailState);
    }

    private static async Task<bool> ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        try
        {
            await probe(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException)
        {
            return false;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
