namespace ResoSolidaire.Functions.Platform.Storage;

/// <summary>The one place where table and container names are decided.</summary>
public sealed class StorageNames(IOptions<StorageOptions> options)
{
    private readonly string _prefix = options.Value.NamePrefix;

    public string OutboxTable => Table("Outbox");

    public string Table(string name) => _prefix + name;

    public string Container(string name) => string.IsNullOrEmpty(_prefix) ? name : $"{_prefix}-{name}";
}
