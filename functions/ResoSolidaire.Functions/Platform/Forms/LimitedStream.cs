namespace ResoSolidaire.Functions.Platform.Forms;

/// <summary>Thrown when a request body goes past its cap.</summary>
public sealed class BodyTooLargeException : Exception
{
    public BodyTooLargeException()
        : base("The request body exceeds its cap.")
    {
    }

    public BodyTooLargeException(string message)
        : base(message)
    {
    }

    public BodyTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Reads a body and stops as soon as it goes past a number of bytes, whatever Content-Length said.</summary>
internal sealed class LimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw new BodyTooLargeException() : read;
    }
}
