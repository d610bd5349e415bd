using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Modernizer.Domain.Serialization;

/// <summary>The one I/O primitive every plane shares: an artifact is written to a temporary file in
/// the same folder and renamed over the target, so a reader never sees half of it (X5).</summary>
public static class AtomicFile
{
    public static async Task WriteAllTextAsync(string path, string content, CancellationToken cancellationToken)
    {
        await WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(content), cancellationToken);
    }

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Serializes <paramref name="value"/> with the artifact convention, writes it atomically
    /// and returns the SHA-256 of the bytes written (the artifact's content hash).</summary>
    public static async Task<string> WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, JsonDefaults.Artifact);
        await WriteAllBytesAsync(path, bytes, cancellationToken);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
