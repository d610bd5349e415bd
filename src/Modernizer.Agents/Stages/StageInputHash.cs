using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Modernizer.Domain.Serialization;

namespace Modernizer.Agents.Stages;

/// <summary>The input hash of a stage: SHA-256 over every file it reads (path relative to the workspace
/// and content hash, in ordinal order) and the JSON of the options that shape its result. Equal inputs,
/// equal hash: the supervisor skips the stage.</summary>
internal static class StageInputHash
{
    public static async Task<string> ComputeAsync(string workspaceRoot, IEnumerable<string> pathsOrFolders, object options, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(workspaceRoot);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in pathsOrFolders)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
                {
                    // Temporary files of atomic writes are not inputs.
                    if (!Path.GetFileName(file).StartsWith('.'))
                    {
                        files.Add(file);
                    }
                }
            }
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file).Replace('\\', '/') + "\n"));
            await using var stream = File.OpenRead(file);
            hash.AppendData(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(options, options.GetType(), JsonDefaults.Compact));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
