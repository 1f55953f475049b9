using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace ResoSolidaire.Functions.Newsletter.Dispatch;

/// <summary>
/// One dispatcher at a time, across instances: a lease on a blob, renewed in the background while the
/// dispatcher works. <see cref="Lost"/> is cancelled when a renewal fails; the dispatcher then stops
/// between batches (a request in flight is finished and recorded).
/// </summary>
public sealed class DispatchLease : IAsyncDisposable
{
    private readonly BlobLeaseClient _lease;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;

    private DispatchLease(BlobLeaseClient lease, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _lease = lease;
        _renewal = RenewAsync(duration / 3, time, logger);
    }

    public CancellationToken Lost => _lost.Token;

    public static async Task<DispatchLease?> TryAcquireAsync(BlobContainerClient container, TimeSpan duration, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var blob = container.GetBlobClient("locks/newsletter-dispatch");
        if (!await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromString(""), overwrite: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Created by another dispatcher at the same moment (or leased already).
            }
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return null;
        }

        return new DispatchLease(lease, duration, time, logger);
    }

    private async Task RenewAsync(TimeSpan every, TimeProvider time, ILogger logger)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, time, _stop.Token).ConfigureAwait(false);
                try
                {
                    await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                }
                catch (RequestFailedException ex)
                {
                    logger.LogWarning(ex, "Dispatch lease lost (status {StatusCode}): stopping after the current batch", ex.Status);
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Released.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                await _lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // It expires by itself.
            }
        }

        _stop.Dispose();
        _lost.Dispose();
    }
}
