using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Modernizer.Domain.Workspace;

/// <summary>Turns a value that comes from data (a job id, a table name) into one folder or file name
/// that stays where it is put. A job id is catalog data: <c>../../etc/passwd</c>, an absolute path or a
/// NUL byte must name a folder inside <c>jobs/</c> and <c>.modernize/jobs/</c>, never a path elsewhere.
/// <para>Rules: the path separators, <c>%</c>, <c>~</c>, control characters and the characters other
/// file systems reserve (<c>: * ? " &lt; &gt; |</c>) are percent-escaped (UTF-8 bytes, upper-case hex);
/// a name made only of dots (<c>.</c>, <c>..</c>) has its dots escaped. Everything else, accents and
/// spaces included, is kept, so the ids of existing workspaces keep their folders. The escaping is
/// reversible (<see cref="TryUnescape"/>) and two different values never share a name. A name longer than
/// <see cref="MaxBytes"/> UTF-8 bytes keeps a readable prefix and ends with <c>~</c> and 16 hex digits of
/// the value's SHA-256: still unique, no longer reversible (<c>~</c> is escaped everywhere else, so such
/// a name cannot collide with an escaped one).</para></summary>
public static class SafeFolderName
{
    /// <summary>File systems allow 255 bytes per name; the margin leaves room for suffixes such as
    /// <c>.duckdb.sql</c> and an atomic writer's temporary name.</summary>
    public const int MaxBytes = 160;

    private const int PrefixBytes = 120;
    private const char HashMarker = '~';

    public static string Escape(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var builder = new StringBuilder(value.Length);
        var onlyDots = value.All(c => c == '.');
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
                continue;
            }

            if (onlyDots || MustEscape(c))
            {
                var length = Encoding.UTF8.GetBytes([c], bytes);
                foreach (var b in bytes[..length])
                {
                    builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        var escaped = builder.ToString();
        return Encoding.UTF8.GetByteCount(escaped) <= MaxBytes ? escaped : Shorten(escaped, value);
    }

    /// <summary>The value a name was escaped from; false for a name that no value escapes to (a name with
    /// a character that should have been escaped, a broken escape, or a shortened name).</summary>
    public static bool TryUnescape(string name, out string value)
    {
        value = string.Empty;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var bytes = new List<byte>(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] != '%')
            {
                var length = char.IsHighSurrogate(name[i]) && i + 1 < name.Length ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(name.Substring(i, length)));
                i += length - 1;
                continue;
            }

            if (i + 2 >= name.Length || !byte.TryParse(name.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            bytes.Add(b);
            i += 2;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        // Only the one canonical spelling of a value counts: "a%41" is not a name this class writes.
        if (decoded.Length == 0 || !string.Equals(Escape(decoded), name, StringComparison.Ordinal))
        {
            return false;
        }

        value = decoded;
        return true;
    }

    private static bool MustEscape(char c) =>
        c < 0x20 || c == 0x7F || c is '/' or '\\' or '%' or HashMarker or ':' or '*' or '?' or '"' or '<' or '>' or '|'
        || char.IsSurrogate(c);

    private static string Shorten(string escaped, string value)
    {
        var prefix = new StringBuilder();
        var bytes = 0;
        for (var i = 0; i < escaped.Length;)
        {
            // Never cut inside an escape sequence or a surrogate pair.
            var length = escaped[i] == '%' ? 3 : char.IsHighSurrogate(escaped[i]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(escaped.AsSpan(i, length));
            if (bytes + size > PrefixBytes)
            {
                break;
            }

            prefix.Append(escaped, i, length);
            bytes += size;
            i += length;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
        return prefix.Append(HashMarker).Append(hash).ToString();
    }
}
