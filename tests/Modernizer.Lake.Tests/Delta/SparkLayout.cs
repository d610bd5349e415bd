using System.Text;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>File names as Spark and Delta write them, to build tables that look like real ones.
/// Folder names: Spark's partition path escaping (ExternalCatalogUtils.escapePathName, POSIX):
/// control characters, <c>" # % ' * / : = ? \ DEL { [ ] ^</c> become <c>%XX</c>; spaces and
/// non-ASCII stay. Log paths: the relative path as a URI (Hadoop <c>Path.toUri</c>, i.e. the
/// java.net.URI path quoting): everything outside <c>A-Z a-z 0-9 - _ . ! ~ * ' ( ) ; / : @ &amp; = + $ ,</c>
/// is percent-encoded as UTF-8, except non-ASCII characters that are neither spaces nor controls.</summary>
internal static class SparkLayout
{
    public const string NullPartition = "__HIVE_DEFAULT_PARTITION__";

    private const string EscapedInFolders = "\"#%'*/:=?\\\u007F{[]^";

    private const string KeptInUriPaths = "-_.!~*'();/:@&=+$,";

    public static string EscapePathName(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name)
        {
            if ((c >= '\u0001' && c <= '\u001F') || EscapedInFolders.Contains(c, StringComparison.Ordinal))
            {
                sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary><c>col=value</c>, a null or empty value as Hive's default partition name.</summary>
    public static string PartitionFolder(string column, string? value) =>
        EscapePathName(column) + "=" + (string.IsNullOrEmpty(value) ? NullPartition : EscapePathName(value));

    public static string LogPath(string relativePath)
    {
        var sb = new StringBuilder();
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in relativePath.EnumerateRunes())
        {
            var keep = rune.IsAscii
                ? char.IsAsciiLetterOrDigit((char)rune.Value) || KeptInUriPaths.Contains((char)rune.Value, StringComparison.Ordinal)
                : !Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune);
            if (keep)
            {
                sb.Append(rune.ToString());
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
