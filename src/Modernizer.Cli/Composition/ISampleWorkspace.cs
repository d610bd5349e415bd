namespace Modernizer.Cli.Composition;

/// <summary>Writes the bundled example workspace (the Modernizer.Samples area provides it;
/// <c>modernize demo</c> writes it and runs it).</summary>
public interface ISampleWorkspace
{
    Task WriteAsync(string directory, CancellationToken cancellationToken);
}
