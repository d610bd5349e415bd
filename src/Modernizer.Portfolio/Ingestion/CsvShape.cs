using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>What the CSV reader must be told before it reads a text export, found without it: the
/// header's column names, and the lines too long for it.
/// <para>DuckDB's CSV sniffer fails the whole file when its sample holds a line longer than
/// <c>max_line_size</c>, and its reader drops a line longer than its buffer without a reject. So the
/// header is read here (bounded), the reader is given the columns and never sniffs, and a file that can
/// hold a line longer than the buffer is scanned once for such lines, which become bad rows with their
/// line numbers. This is a byte scan for a safety limit, not row processing: the rows are read by
/// DuckDB.</para></summary>
internal static class CsvShape
{
    /// <summary>The longest line the reader accepts; longer lines are rejected rows.</summary>
    public const int MaxLineBytes = 2_000_000;

    /// <summary>The reader's buffer; a line longer than this would be dropped without a reject.</summary>
    public const int ReaderBufferBytes = 32_000_000;

    /// <summary>The longest header line read.</summary>
    public const int MaxHeaderBytes = 1_048_576;

    /// <summary>The header's column names (de-duplicated as DuckDB would, <c>name_1</c>), or why there
    /// are none: an empty file, or a first line longer than <see cref="MaxHeaderBytes"/>.</summary>
    public static (ImmutableArray<string> Names, string? Problem) ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        var line = new List<byte>();
        var quoted = false;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b == '"')
            {
                quoted = !quoted;
            }
            else if (b == '\n' && !quoted)
            {
                break;
            }

            line.Add((byte)b);
            if (line.Count > MaxHeaderBytes)
            {
                return ([], string.Create(CultureInfo.InvariantCulture, $"the header line is longer than {MaxHeaderBytes:N0} bytes: the file is not read"));
            }
        }

        var text = Encoding.UTF8.GetString([.. line]).TrimStart('\uFEFF').TrimEnd('\r');
        if (text.Length == 0)
        {
            return ([], null);
        }

        if (text.Any(c => char.IsControl(c) && c != '\t'))
        {
            return ([], "the header line holds control characters: the file is not read");
        }

        var names = ImmutableArray.CreateBuilder<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, index) in Split(text).Select((f, i) => (f.Trim(), i)))
        {
            var name = field.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"column{index}") : field;
            var unique = name;
            for (var n = 1; !seen.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{name}_{n}");
            }

            names.Add(unique);
        }

        return (names.ToImmutable(), null);
    }

    /// <summary>Physical lines longer than <see cref="MaxLineBytes"/>, with their 1-based numbers and
    /// lengths. Only files larger than <see cref="ReaderBufferBytes"/> can hold a line the reader drops
    /// silently; smaller files get no scan (the reader rejects their long lines itself).</summary>
    public static ImmutableArray<(long Line, long Bytes)> LongLines(string path)
    {
        var info = new FileInfo(path);
        if (info.Length <= ReaderBufferBytes)
        {
            return [];
        }

        var found = ImmutableArray.CreateBuilder<(long, long)>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var buffer = new byte[1 << 20];
        long line = 1;
        long length = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            while (span.IndexOf((byte)'\n') is var newline && newline >= 0)
            {
                length += newline;
                if (length > MaxLineBytes)
                {
                    found.Add((line, length));
                }

                line++;
                length = 0;
                span = span[(newline + 1)..];
            }

            length += span.Length;
        }

        if (length > MaxLineBytes)
        {
            found.Add((line, length));
        }

        return found.ToImmutable();
    }

    private static IEnumerable<string> Split(string line)
    {
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"' && quoted && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                yield return field.ToString();
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        yield return field.ToString();
    }
}
