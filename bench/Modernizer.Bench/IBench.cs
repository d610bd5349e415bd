namespace Modernizer.Bench;

/// <summary>A benchmark that prints its figures, including the ratio to its named anchor when it
/// has one. Run with <c>dotnet run -c Release --project bench/Modernizer.Bench -- NAME</c>.</summary>
internal interface IBench
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
