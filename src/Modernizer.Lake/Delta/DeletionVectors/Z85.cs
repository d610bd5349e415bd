namespace Modernizer.Lake.Delta.DeletionVectors;

/// <summary>The Z85 base-85 variant (ZeroMQ RFC 32) Delta uses for inline DVs and DV file UUIDs.</summary>
internal static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    private static readonly sbyte[] Decoder = BuildDecoder();

    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length % 5 != 0)
        {
            throw new FormatException($"Z85 text must be a multiple of 5 characters long; it has {text.Length}.");
        }

        var output = new byte[text.Length / 5 * 4];
        for (int i = 0, o = 0; i < text.Length; i += 5, o += 4)
        {
            ulong value = 0;
            for (var j = 0; j < 5; j++)
            {
                var c = text[i + j];
                var digit = c < 128 ? Decoder[c] : (sbyte)-1;
                if (digit < 0)
                {
                    throw new FormatException($"'{c}' at position {i + j} is not a Z85 character.");
                }

                value = (value * 85) + (ulong)digit;
            }

            if (value > uint.MaxValue)
            {
                throw new FormatException($"Z85 group at position {i} overflows 32 bits.");
            }

            output[o] = (byte)(value >> 24);
            output[o + 1] = (byte)(value >> 16);
            output[o + 2] = (byte)(value >> 8);
            output[o + 3] = (byte)value;
        }

        return output;
    }

    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length % 4 != 0)
        {
            throw new FormatException("Z85 input must be a multiple of 4 bytes long.");
        }

        var chars = new char[data.Length / 4 * 5];
        for (int i = 0, o = 0; i < data.Length; i += 4, o += 5)
        {
            var value = ((uint)data[i] << 24) | ((uint)data[i + 1] << 16) | ((uint)data[i + 2] << 8) | data[i + 3];
            for (var j = 4; j >= 0; j--)
            {
                chars[o + j] = Alphabet[(int)(value % 85)];
                value /= 85;
            }
        }

        return new string(chars);
    }

    /// <summary>The DV file UUID from its 20-character Z85 form, in canonical text (big-endian halves, as Java's UUID).</summary>
    public static string DecodeUuid(ReadOnlySpan<char> text)
    {
        var bytes = Decode(text);
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static sbyte[] BuildDecoder()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            table[Alphabet[i]] = (sbyte)i;
        }

        return table;
    }
}
