namespace ResoSolidaire.MailSink;

/// <summary>
/// The last <see cref="Capacity"/> requests that reached validation, accepted or refused.
/// Counters cover everything since start and survive both eviction and <see cref="Clear"/>.
/// </summary>
public sealed class MailStore
{
    private readonly Lock _gate = new();
    private readonly Queue<ReceivedMail> _messages = new();
    private readonly Dictionary<string, ReceivedMail> _byId = new(StringComparer.Ordinal);
    private readonly List<Waiter> _waiters = [];
    private readonly TimeProvider _timeProvider;
    private long _totalAccepted;
    private long _totalRecipients;
    private long _totalRefused;

    internal MailStore(int capacity, TimeProvider timeProvider)
    {
        Capacity = capacity;
        _timeProvider = timeProvider;
    }

    public int Capacity { get; }

    /// <summary>Accepted mails since start.</summary>
    public long TotalAccepted => Interlocked.Read(ref _totalAccepted);

    /// <summary>Recipients (to + cc + bcc) of accepted mails since start.</summary>
    public long TotalRecipients => Interlocked.Read(ref _totalRecipients);

    /// <summary>Requests refused with 400 since start (not counting 401, 413 or simulated faults).</summary>
    public long TotalRefused => Interlocked.Read(ref _totalRefused);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>The kept requests in arrival order (oldest first), refused ones included (see <see cref="ReceivedMail.IsValid"/>).</summary>
    public IReadOnlyList<ReceivedMail> Snapshot()
    {
        lock (_gate)
        {
            return [.. _messages];
        }
    }

    public ReceivedMail? Find(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>Forgets kept messages; counters keep their totals.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
            _byId.Clear();
        }
    }

    /// <summary>
    /// Completes with the first accepted mail matching <paramref name="predicate"/>, already kept or still to come.
    /// Refused requests never match. Throws <see cref="TimeoutException"/> when none arrives in time.
    /// </summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        Waiter waiter;
        lock (_gate)
        {
            foreach (var mail in _messages)
            {
                if (mail.IsValid && predicate(mail))
                {
                    return mail;
                }
            }

            waiter = new Waiter(predicate);
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No accepted mail matched within {timeout.TotalSeconds:0.###} s ({TotalAccepted} accepted, {TotalRefused} refused so far).");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Same as <see cref="WaitForAsync(Func{ReceivedMail, bool}, TimeSpan, CancellationToken)"/> with no cancellation.</summary>
    public Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> predicate, TimeSpan timeout) =>
        WaitForAsync(predicate, timeout, CancellationToken.None);

    internal void Add(ReceivedMail mail)
    {
        if (mail.IsValid)
        {
            Interlocked.Increment(ref _totalAccepted);
            Interlocked.Add(ref _totalRecipients, mail.RecipientCount);
        }
        else
        {
            Interlocked.Increment(ref _totalRefused);
        }

        lock (_gate)
        {
            _messages.Enqueue(mail);
            _byId[mail.Id] = mail;
            while (_messages.Count > Capacity)
            {
                _byId.Remove(_messages.Dequeue().Id);
            }

            if (mail.IsValid)
            {
                foreach (var waiter in _waiters)
                {
                    waiter.Offer(mail);
                }
            }
        }
    }

    private sealed class Waiter(Func<ReceivedMail, bool> predicate)
    {
        public TaskCompletionSource<ReceivedMail> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Offer(ReceivedMail mail)
        {
            if (Completion.Task.IsCompleted)
            {
                return;
            }

            try
            {
                if (predicate(mail))
                {
                    Completion.TrySetResult(mail);
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A throwing predicate belongs to the waiting test, not to the request being stored.
                Completion.TrySetException(exception);
            }
        }
    }
}
