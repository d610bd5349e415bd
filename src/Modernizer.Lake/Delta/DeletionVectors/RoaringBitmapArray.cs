using System.Buffers.Binary;
using System.Collections.Immutable;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Delta.DeletionVectors;

/// <summary>Decodes Delta's serialized 64-bit RoaringBitmap (PROTOCOL "Deletion Vector Format") into
/// sorted row ranges. Two framings exist: the portable one (magic 1681511377, little endian, the
/// RoaringFormatSpec 64-bit extension: bucket count, then per bucket a 32-bit key and a 32-bit
/// roaring bitmap) and the older native one (magic 1681511376, big-endian header: bitmap count,
/// then per bitmap its byte size and a 32-bit roaring bitmap, the bucket key being its index).</summary>
internal static class RoaringBitmapArray
{
    public const int PortableMagic = 1681511377;
    public const int NativeMagic = 1681511376;

    private const int SerialCookieNoRunContainer = 12346;
    private const int SerialCookie = 12347;
    private const int NoOffsetThreshold = 4;
    private const int MaxArrayCardinality = 4096;

    public static ImmutableArray<RowRange> Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            throw new FormatException("the deletion vector is shorter than its 4-byte magic number");
        }

        var ranges = new RangeBuilder();
        if (BinaryPrimitives.ReadInt32LittleEndian(data) == PortableMagic)
        {
            var reader = new Reader(data[4..]);
            var buckets = reader.UInt64LittleEndian();
            if (buckets > int.MaxValue)
            {
                throw new FormatException($"implausible bucket count {buckets}");
            }

            long previousKey = -1;
            for (ulong b = 0; b < buckets; b++)
            {
                var key = reader.UInt32LittleEndian();
                if (key <= previousKey || key > int.MaxValue)
                {
                    throw new FormatException($"bucket key {key} is out of order or has its sign bit set");
                }

                previousKey = key;
                Read32(ref reader, (long)key << 32, ranges);
            }

            reader.ExpectEnd();
        }
        else if (BinaryPrimitives.ReadInt32BigEndian(data) == NativeMagic || BinaryPrimitives.ReadInt32LittleEndian(data) == NativeMagic)
        {
            var bigEndian = BinaryPrimitives.ReadInt32BigEndian(data) == NativeMagic;
            var reader = new Reader(data[4..]);
            var count = bigEndian ? reader.Int32BigEndian() : reader.Int32LittleEndian();
            for (var key = 0; key < count; key++)
            {
                var size = bigEndian ? reader.Int32BigEndian() : reader.Int32LittleEndian();
                var bitmapReader = new Reader(reader.Take(size));
                Read32(ref bitmapReader, (long)key << 32, ranges);
                bitmapReader.ExpectEnd();
            }

            reader.ExpectEnd();
        }
        else
        {
            throw new FormatException($"unknown deletion vector magic number {BinaryPrimitives.ReadInt32LittleEndian(data)}");
        }

        return ranges.Build();
    }

    /// <summary>One 32-bit RoaringBitmap in the standard portable serialization.</summary>
    private static void Read32(ref Reader reader, long high, RangeBuilder ranges)
    {
        var cookie = reader.UInt32LittleEndian();
        int containers;
        ReadOnlySpan<byte> runFlags = default;
        bool hasOffsets;
        if ((cookie & 0xFFFF) == SerialCookie)
        {
            containers = (int)(cookie >> 16) + 1;
            runFlags = reader.Take((containers + 7) / 8);
            hasOffsets = containers >= NoOffsetThreshold;
        }
        else if (cookie == SerialCookieNoRunContainer)
        {
            containers = reader.Int32LittleEndian();
            if (containers is < 0 or > 65536)
            {
                throw new FormatException($"implausible container count {containers}");
            }

            hasOffsets = true;
        }
        else
        {
            throw new FormatException($"unknown RoaringBitmap cookie {cookie}");
        }

        var keys = new ushort[containers];
        var cardinalities = new int[containers];
        for (var i = 0; i < containers; i++)
        {
            keys[i] = reader.UInt16LittleEndian();
            cardinalities[i] = reader.UInt16LittleEndian() + 1;
        }

        if (hasOffsets)
        {
            reader.Take(4 * containers);
        }

        for (var i = 0; i < containers; i++)
        {
            var baseValue = high | ((long)keys[i] << 16);
            var isRun = !runFlags.IsEmpty && (runFlags[i / 8] & (1 << (i % 8))) != 0;
            if (isRun)
            {
                var runs = reader.UInt16LittleEndian();
                for (var r = 0; r < runs; r++)
                {
                    var start = reader.UInt16LittleEndian();
                    var length = reader.UInt16LittleEndian();
                    ranges.Add(baseValue + start, baseValue + start + length + 1);
                }
            }
            else if (cardinalities[i] <= MaxArrayCardinality)
            {
                for (var v = 0; v < cardinalities[i]; v++)
                {
                    var low = reader.UInt16LittleEndian();
                    ranges.Add(baseValue + low, baseValue + low + 1);
                }
            }
            else
            {
                var words = reader.Take(8192);
                for (var w = 0; w < 1024; w++)
                {
                    var word = BinaryPrimitives.ReadUInt64LittleEndian(words[(w * 8)..]);
                    while (word != 0)
                    {
                        var bit = System.Numerics.BitOperations.TrailingZeroCount(word);
                        var value = baseValue + (w * 64) + bit;
                        ranges.Add(value, value + 1);
                        word &= word - 1;
                    }
                }
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || _position + count > _data.Length)
            {
                throw new FormatException($"the bitmap ends early: needed {count} bytes at offset {_position}, {_data.Length - _position} left");
            }

            var slice = _data.Slice(_position, count);
            _position += count;
            return slice;
        }

        public ushort UInt16LittleEndian() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public uint UInt32LittleEndian() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public int Int32LittleEndian() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public int Int32BigEndian() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

        public ulong UInt64LittleEndian() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public readonly void ExpectEnd()
        {
            if (_position != _data.Length)
            {
                throw new FormatException($"{_data.Length - _position} unexpected bytes after the bitmap");
            }
        }
    }

    /// <summary>Merges values arriving in ascending order into half-open ranges.</summary>
    private sealed class RangeBuilder
    {
        private readonly ImmutableArray<RowRange>.Builder _ranges = ImmutableArray.CreateBuilder<RowRange>();
        private long _start = -1;
        private long _end = -1;

        public void Add(long start, long end)
        {
            if (_end >= 0 && start < _end)
            {
                throw new FormatException($"row {start} is out of order in the bitmap");
            }

            if (_end == start)
            {
                _end = end;
                return;
            }

            Flush();
            _start = start;
            _end = end;
        }

        public ImmutableArray<RowRange> Build()
        {
            Flush();
            return _ranges.ToImmutable();
        }

        private void Flush()
        {
            if (_end > _start && _start >= 0)
            {
                _ranges.Add(new RowRange(_start, _end));
            }
        }
    }
}
