using Modernizer.Lake.Delta.DeletionVectors;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>Issue item 1: the RoaringBitmap and Z85 decoders against the protocol's own examples.</summary>
public sealed class DeletionVectorFormatTests
{
    [Fact]
    public void The_protocols_inline_example_decodes_to_its_documented_rows()
    {
        var bytes = Z85.Decode("wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L");
        var rows = RoaringBitmapArray.Decode(bytes);
        Assert.Equal([3L, 4L, 7L, 11L, 18L, 29L], Expand(rows));
    }

    [Fact]
    public void The_protocols_relative_path_example_resolves_to_its_documented_file()
    {
        var path = DeletionVectorLoader.RelativePath("/mytable", "ab^-aqEH.-t@S}K{vb[*k^");
        Assert.Equal(Path.Combine("/mytable", "ab", "deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"), path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Portable_bitmaps_across_containers_and_buckets_round_trip(bool runCookie)
    {
        long[] rows = [0, 1, 2, 65535, 65536, 70000, (1L << 32) + 5, (3L << 32) + 1];
        var decoded = RoaringBitmapArray.Decode(RoaringEncoder.Portable(rows, runCookie));
        Assert.Equal(rows, Expand(decoded));
        Assert.Equal(new RowRange(0, 3), decoded[0]);
    }

    [Fact]
    public void A_truncated_or_foreign_bitmap_is_a_format_error()
    {
        var bytes = RoaringEncoder.Portable([1, 2, 3]);
        Assert.Throws<FormatException>(() => RoaringBitmapArray.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<FormatException>(() => RoaringBitmapArray.Decode([1, 2, 3, 4, 5, 6, 7, 8]));
        Assert.Throws<FormatException>(() => Z85.Decode("abc"));
    }

    private static List<long> Expand(IEnumerable<RowRange> ranges) =>
        [.. ranges.SelectMany(r => Enumerable.Range(0, (int)r.Count).Select(i => r.Start + i))];
}
