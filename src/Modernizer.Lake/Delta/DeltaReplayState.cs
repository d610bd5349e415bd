using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Delta;

/// <summary>Action reconciliation (PROTOCOL "Action Reconciliation"): the latest protocol and
/// metadata win; a logical file is its path plus its deletion vector's unique id; a remove cancels
/// the add with the same identity.</summary>
internal sealed class DeltaReplayState(string tablePath)
{
    private readonly Dictionary<(string Path, string? Dv), AddAction> _files = [];

    public DeltaProtocol? Protocol { get; private set; }

    public DeltaMetadata? Metadata { get; private set; }

    public long? InCommitTimestamp { get; private set; }

    public List<string> Sidecars { get; } = [];

    public IEnumerable<AddAction> Files => _files.Values;

    /// <summary>Applies one action line (a JSON object with one action key).</summary>
    public void Apply(JsonElement action, string source, bool fromCheckpoint)
    {
        foreach (var property in action.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (property.Name)
            {
                case "add":
                    var add = ParseAdd(property.Value, source);
                    _files[(add.Path, add.DeletionVector?.UniqueId)] = add;
                    break;
                case "remove" when !fromCheckpoint:
                    var path = Uri.UnescapeDataString(Required(property.Value, "path", source).GetString()!);
                    var dv = property.Value.TryGetProperty("deletionVector", out var dvElement) ? ParseDeletionVector(dvElement, source) : null;
                    _files.Remove((path, dv?.UniqueId));
                    break;
                case "metaData":
                    Metadata = ParseMetadata(property.Value, source);
                    break;
                case "protocol":
                    Protocol = ParseProtocol(property.Value, source);
                    break;
                case "commitInfo":
                    InCommitTimestamp = property.Value.TryGetProperty("inCommitTimestamp", out var ict) && ict.ValueKind == JsonValueKind.Number
                        ? ict.GetInt64()
                        : null;
                    break;
                case "sidecar":
                    Sidecars.Add(Required(property.Value, "path", source).GetString()!);
                    break;
                default:
                    // txn, cdc, domainMetadata, checkpointMetadata and tombstones in checkpoints do not change what is read.
                    break;
            }
        }
    }

    private AddAction ParseAdd(JsonElement add, string source)
    {
        var path = Uri.UnescapeDataString(Required(add, "path", source).GetString()!);
        var partitionValues = ImmutableSortedDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        if (add.TryGetProperty("partitionValues", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var value in values.EnumerateObject())
            {
                partitionValues[value.Name] = value.Value.ValueKind == JsonValueKind.Null ? null : value.Value.GetString();
            }
        }

        long? numRecords = null;
        if (add.TryGetProperty("stats", out var stats) && stats.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var statsDocument = JsonDocument.Parse(stats.GetString()!);
                if (statsDocument.RootElement.TryGetProperty("numRecords", out var n) && n.ValueKind == JsonValueKind.Number)
                {
                    numRecords = n.GetInt64();
                }
            }
            catch (JsonException)
            {
                // Statistics are optional hints; unreadable ones are ignored like absent ones.
            }
        }

        var size = Required(add, "size", source).GetInt64();
        var dv = add.TryGetProperty("deletionVector", out var dvElement) ? ParseDeletionVector(dvElement, source) : null;
        return new AddAction(path, partitionValues.ToImmutable(), size, dv, numRecords);
    }

    private DeletionVectorDescriptor? ParseDeletionVector(JsonElement dv, string source)
    {
        if (dv.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var storage = Required(dv, "storageType", source).GetString();
        if (storage is not { Length: 1 })
        {
            throw new LakeTableException(tablePath, $"{source}: deletion vector storageType '{storage}' is not one character");
        }

        int? offset = dv.TryGetProperty("offset", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt32() : null;
        return new DeletionVectorDescriptor(
            storage[0],
            Required(dv, "pathOrInlineDv", source).GetString()!,
            offset,
            Required(dv, "sizeInBytes", source).GetInt32(),
            Required(dv, "cardinality", source).GetInt64());
    }

    private DeltaMetadata ParseMetadata(JsonElement metadata, string source)
    {
        var configuration = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (metadata.TryGetProperty("configuration", out var config) && config.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in config.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.String)
                {
                    configuration[entry.Name] = entry.Value.GetString()!;
                }
            }
        }

        var partitions = metadata.TryGetProperty("partitionColumns", out var pc) && pc.ValueKind == JsonValueKind.Array
            ? pc.EnumerateArray().Select(p => p.GetString()!).ToImmutableArray()
            : [];
        return new DeltaMetadata(
            Required(metadata, "id", source).GetString()!,
            metadata.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
            Required(metadata, "schemaString", source).GetString()!,
            partitions,
            configuration.ToImmutable(),
            metadata.TryGetProperty("createdTime", out var created) && created.ValueKind == JsonValueKind.Number ? created.GetInt64() : null);
    }

    private DeltaProtocol ParseProtocol(JsonElement protocol, string source)
    {
        static ImmutableArray<string> Features(JsonElement p, string name) =>
            p.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.Array ? f.EnumerateArray().Select(x => x.GetString()!).ToImmutableArray() : [];

        return new DeltaProtocol(
            Required(protocol, "minReaderVersion", source).GetInt32(),
            protocol.TryGetProperty("minWriterVersion", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetInt32() : 0,
            Features(protocol, "readerFeatures"),
            Features(protocol, "writerFeatures"));
    }

    private JsonElement Required(JsonElement element, string name, string source)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new LakeTableException(tablePath, $"{source}: an action lacks its required field '{name}'");
        }

        return value;
    }
}

internal sealed record AddAction(
    string Path,
    ImmutableSortedDictionary<string, string?> PartitionValues,
    long Size,
    DeletionVectorDescriptor? DeletionVector,
    long? NumRecords)
{
    public override string ToString() => Path + " (" + Size.ToString(CultureInfo.InvariantCulture) + " bytes)";
}
