namespace Modernizer.Domain.Stages;

/// <summary>An artifact a stage wrote (path relative to the workspace's <c>.modernize/</c>) and the
/// SHA-256 of its bytes.</summary>
public sealed record ArtifactRef(string Path, string Sha256);
