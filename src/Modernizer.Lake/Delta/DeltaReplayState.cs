using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Delta;

/// <summary>Action reconciliation (PROTOCOL "Action Reconciliation"): the latest protocol and
/// metadata win; a logical file is its path plus its deletion vector's unique id; a remove cancels
/// the add with the same identity.</summary>
internal sealed class DeltaReplayState(string tablePath, TableFileGuard guard)
{
    // Keyed by the resolved local path, so "a b.parquet", "a%20b.parquet" and an absolute
    // file: URI of the same file are one logical file, as Spark canonicalizes them.
    private readonly Dictionary<(string FullPath, string? Dv), AddAction> _files = [];

    public DeltaProtocol? Protocol { get; private set; }

    public DeltaMetadata? Metadata { get; private set; }

    /// <summary>Where the metadata in effect was read (file and line), for errors about it.</summary>
    public string? MetadataSource { get; private set; }

    public long? InCommitTimestamp { get; private set; }

    /// <summary>Sidecar paths as written, with where each was read.</summary>
    public List<(string Path, string Source)> Sidecars { get; } = [];

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
                    _files[(add.FullPath, add.DeletionVector?.UniqueId)] = add;
                    break;
                case "remove" when !fromCheckpoint:
                    var removed = guard.FromLog(RequiredString(property.Value, "path", source), source + ": remove");
                    var dv = property.Value.TryGetProperty("deletionVector", out var dvElement) ? ParseDeletionVector(dvElement, source) : null;
                    _files.Remove((removed, dv?.UniqueId));
                    break;
                case "cdc":
                    // Change files are not read here, but a path leaving the table is refused all the same.
                    guard.FromLog(RequiredString(property.Value, "path", source), source + ": cdc");
                    break;
                case "metaData":
                    Metadata = ParseMetadata(property.Value, source);
                    MetadataSource = source;
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
                    Sidecars.Add((RequiredString(property.Value, "path", source), source));
                    break;
                default:
                    // txn, domainMetadata, checkpointMetadata and tombstones in checkpoints do not change what is read.
                    break;
            }
        }
    }

    private AddAction ParseAdd(JsonElement add, string source)
    {
        var written = RequiredString(add, "path", source);
        var fullPath = guard.FromLog(written, source + ": add");
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
        return new AddAction(written, Uri.UnescapeDataString(written), fullPath, partitionValues.ToImmutable(), size, dv, numRecords);
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
        // A missing schemaString is not refused here: Delta Live Tables write a first metaData
        // without one and replace it at version 1. Only a version whose metadata in effect lacks
        // it is refused (when the snapshot is built).
        return new DeltaMetadata(
            metadata.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : string.Empty,
            metadata.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
            metadata.TryGetProperty("schemaString", out var schema) && schema.ValueKind == JsonValueKind.String ? schema.GetString()! : null,
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
            Features(protocol, "writerFeatures"))
        {
            ReaderFeaturesListed = protocol.TryGetProperty("readerFeatures", out var listed) && listed.ValueKind == JsonValueKind.Array,
        };
    }

    private string RequiredString(JsonElement element, string name, string source)
    {
        var value = Required(element, name, source);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new LakeTableException(tablePath, $"{source}: field '{name}' is not a string");
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

/// <summary>An add action: <see cref="Written"/> is the path as the log has it (URI-encoded),
/// <see cref="Path"/> that path decoded once, <see cref="FullPath"/> the local file it names.</summary>
internal sealed record AddAction(
    string Written,
    string Path,
    string FullPath,
    ImmutableSortedDictionary<string, string?> PartitionValues,
    long Size,
    DeletionVectorDescriptor? DeletionVector,
    long? NumRecords)
{
    public override string ToString() => Path + " (" + Size.ToString(CultureInfo.InvariantCulture) + " bytes)";
}
