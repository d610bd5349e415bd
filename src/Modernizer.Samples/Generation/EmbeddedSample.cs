using Modernizer.Domain.Serialization;

namespace Modernizer.Samples.Generation;

/// <summary>Copies the hand-written part of the sample (jobs, reference programs, answer key,
/// README, modernize.yaml) from the assembly's resources into a workspace.</summary>
internal static class EmbeddedSample
{
    private const string Prefix = "retail/";

    public static IReadOnlyList<string> ResourcePaths() =>
        [.. SqlScript.ResourceAssembly.GetManifestResourceNames()
            .Select(n => n.Replace('\\', '/'))
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .Order(StringComparer.Ordinal)];

    public static byte[] Read(string relativePath)
    {
        var assembly = SqlScript.ResourceAssembly;
        var name = assembly.GetManifestResourceNames()
            .First(n => n.Replace('\\', '/') == Prefix + relativePath);
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    public static async Task<int> WriteAsync(string workspace, CancellationToken cancellationToken)
    {
        var paths = ResourcePaths();
        foreach (var path in paths)
        {
            await AtomicFile.WriteAllBytesAsync(Path.Combine(workspace, path), Read(path), cancellationToken);
        }

        return paths.Count;
    }
}
