using Modernizer.Domain.Workspace;

namespace Modernizer.Pipeline.Tests;

/// <summary>A unique temporary workspace folder, removed at dispose.</summary>
internal sealed class TestWorkspace : IDisposable
{
    public TestWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "modernizer-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "lake"));
        Paths = new WorkspacePaths(Root);
    }

    public string Root { get; }

    public WorkspacePaths Paths { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a dying child process; the temp folder is cleaned by the OS.
        }
    }
}
