namespace ResoSolidaire.Functions.Exports;

/// <summary>
/// Writes the rows of an export in one format. Rows are written into a buffer that holds one storage page;
/// <see cref="EndPageAsync"/> hands it to the response asynchronously and empties it, so memory stays at one
/// page whatever the size of the export (and no synchronous write ever reaches the response stream).
/// </summary>
internal abstract class ExportWriter : IAsyncDisposable
{
    public abstract Task BeginAsync(IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken);

    public abstract void WriteRow(object?[] cells);

    public abstract Task EndPageAsync(CancellationToken cancellationToken);

    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public static ExportWriter Create(ExportFormat format, Stream output) => format switch
    {
        ExportFormat.Excel => new CsvExportWriter(output, excel: true),
        ExportFormat.Csv => new CsvExportWriter(output, excel: false),
        ExportFormat.Xlsx => new XlsxExportWriter(output),
        _ => new JsonExportWriter(output),
    };
}

/// <summary>A write-only, forward-only stream that keeps what is written until it is drained to the real output.</summary>
internal sealed class PageBuffer(Stream output) : Stream
{
    private readonly MemoryStream _buffer = new();

    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _buffer.Write(buffer);
        Written += buffer.Length;
    }

    public override void WriteByte(byte value)
    {
        _buffer.WriteByte(value);
        Written++;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Buffered bytes go to the output, asynchronously; the buffer is emptied.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Length > 0)
        {
            await output.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken).ConfigureAwait(false);
            _buffer.SetLength(0);
        }
    }

    public override void Flush()
    {
        // Draining is explicit (DrainAsync): a flush from an inner writer only means "it is all in the buffer".
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
