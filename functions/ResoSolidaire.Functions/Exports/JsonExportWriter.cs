using System.Text.Encodings.Web;

namespace ResoSolidaire.Functions.Exports;

/// <summary>A JSON array of objects keyed by column, written page by page (dates in ISO 8601, UTC).</summary>
internal sealed class JsonExportWriter(Stream output) : ExportWriter
{
    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private IReadOnlyList<ExportColumn> _columns = [];

    public override Task BeginAsync(IReadOnlyList<ExportColumn> columns, CancellationToken cancellationToken)
    {
        _columns = columns;
        _json.WriteStartArray();
        return Task.CompletedTask;
    }

    public override void WriteRow(object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        _json.WriteStartObject();
        for (var i = 0; i < _columns.Count; i++)
        {
            _json.WritePropertyName(_columns[i].Key);
            switch (cells[i])
            {
                case null: _json.WriteNullValue(); break;
                case string text: _json.WriteStringValue(text); break;
                case DateTimeOffset instant: _json.WriteStringValue(ExportTime.Iso(instant)); break;
                case DateOnly day: _json.WriteStringValue(ExportTime.Iso(day)); break;
                case bool flag: _json.WriteBooleanValue(flag); break;
                case int number: _json.WriteNumberValue(number); break;
                case long number: _json.WriteNumberValue(number); break;
                default: _json.WriteStringValue(cells[i]!.ToString()); break;
            }
        }

        _json.WriteEndObject();
    }

    // Utf8JsonWriter keeps what it writes in its own buffer until flushed: one page at a time.
    public override Task EndPageAsync(CancellationToken cancellationToken) => _json.FlushAsync(cancellationToken);

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _json.WriteEndArray();
        await _json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _json.DisposeAsync();
}
