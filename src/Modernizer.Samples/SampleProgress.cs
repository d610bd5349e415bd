namespace Modernizer.Samples;

/// <summary>One finished step of writing the sample workspace.</summary>
public sealed record SampleProgress(string Step, int Completed, int Total);
