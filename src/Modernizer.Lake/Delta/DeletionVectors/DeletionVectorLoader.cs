using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.IO.Hashing;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Delta.DeletionVectors;

/// <summary>Reads the rows a deletion vector removes: inline ('i'), relative to the table ('u',
/// optional prefix + Z85 UUID) or absolute ('p'); DV files are checked for their version byte,
/// declared size and CRC-32 (PROTOCOL "Deletion Vector File Storage Format").</summary>
internal static class DeletionVectorLoader
{
    public static async Task<ImmutableArray<RowRange>> LoadAsync(string tablePath, TableFileGuard guard, string dataFile, DeletionVectorDescriptor dv, CancellationToken cancellationToken)
    {
        ImmutableArray<RowRange> rows;
        string source;
        switch (dv.StorageType)
        {
            case 'i':
                source = "inline deletion vector";
                rows = Decode(tablePath, dataFile, source, () => Z85.Decode(dv.PathOrInlineDv).AsSpan(0, dv.SizeInBytes).ToArray());
                break;
            case 'u':
            case 'p':
                var what = $"the deletion vector of data file '{dataFile}'";
                source = dv.StorageType == 'u'
                    ? guard.FromName(RelativePath(tablePath, dv.PathOrInlineDv), what)
                    : guard.FromLog(dv.PathOrInlineDv, what);
                var bitmap = await ReadFromFileAsync(tablePath, guard, dataFile, source, dv, cancellationToken);
                rows = Decode(tablePath, dataFile, source, () => bitmap);
                break;
            default:
                throw new LakeTableException(tablePath, $"data file '{dataFile}' has a deletion vector with unknown storage type '{dv.StorageType}'");
        }

        var cardinality = rows.Sum(r => r.Count);
        if (cardinality != dv.Cardinality)
        {
            throw new LakeTableException(tablePath, $"the {source} of data file '{dataFile}' removes {cardinality.ToString(CultureInfo.InvariantCulture)} rows but the log says {dv.Cardinality.ToString(CultureInfo.InvariantCulture)}");
        }

        return rows;
    }

    internal static string RelativePath(string tablePath, string pathOrInlineDv)
    {
        if (pathOrInlineDv.Length < 20)
        {
            throw new LakeTableException(tablePath, $"deletion vector path '{pathOrInlineDv}' is shorter than a 20-character Z85 UUID");
        }

        var prefix = pathOrInlineDv[..^20];
        string uuid;
        try
        {
            uuid = Z85.DecodeUuid(pathOrInlineDv.AsSpan()[^20..]);
        }
        catch (FormatException e)
        {
            throw new LakeTableException(tablePath, $"deletion vector path '{pathOrInlineDv}' does not end in a Z85 UUID: {e.Message}", e);
        }

        var name = $"deletion_vector_{uuid}.bin";
        return prefix.Length == 0 ? Path.Combine(tablePath, name) : Path.Combine(tablePath, prefix, name);
    }

    private static ImmutableArray<RowRange> Decode(string tablePath, string dataFile, string source, Func<byte[]> bytes)
    {
        try
        {
            return RoaringBitmapArray.Decode(bytes());
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new LakeTableException(tablePath, $"the {source} of data file '{dataFile}' is corrupt: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadFromFileAsync(string tablePath, TableFileGuard guard, string dataFile, string path, DeletionVectorDescriptor dv, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new LakeTableException(tablePath, $"deletion vector file '{path}' of data file '{dataFile}' is missing");
        }

        guard.CheckLinks(path, "deletion vector file");

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        var version = new byte[1];
        if (await stream.ReadAsync(version, cancellationToken) != 1 || version[0] != 1)
        {
            throw new LakeTableException(tablePath, $"deletion vector file '{path}' does not start with format version 1");
        }

        var offset = dv.Offset ?? 1;
        if (offset < 1 || offset + 8L + dv.SizeInBytes > stream.Length)
        {
            throw new LakeTableException(tablePath, $"deletion vector file '{path}' is {stream.Length.ToString(CultureInfo.InvariantCulture)} bytes long; the DV of '{dataFile}' at offset {offset.ToString(CultureInfo.InvariantCulture)} with {dv.SizeInBytes.ToString(CultureInfo.InvariantCulture)} bytes does not fit (truncated file?)");
        }

        stream.Position = offset;
        var buffer = new byte[dv.SizeInBytes + 8];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        var declared = BinaryPrimitives.ReadInt32BigEndian(buffer);
        if (declared != dv.SizeInBytes)
        {
            throw new LakeTableException(tablePath, $"deletion vector file '{path}' declares {declared.ToString(CultureInfo.InvariantCulture)} bytes at offset {offset.ToString(CultureInfo.InvariantCulture)} but the log says {dv.SizeInBytes.ToString(CultureInfo.InvariantCulture)}");
        }

        var data = buffer.AsSpan(4, dv.SizeInBytes);
        var expected = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4 + dv.SizeInBytes));
        var actual = Crc32.HashToUInt32(data);
        if (expected != actual)
        {
            throw new LakeTableException(tablePath, $"deletion vector file '{path}' fails its CRC-32 check for the DV of '{dataFile}' (corrupt file)");
        }

        return data.ToArray();
    }
}
